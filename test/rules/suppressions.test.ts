/**
 * Inline suppressions: `// ai-endpoint-audit-disable-next-line <rule>[, <rule>] -- <reason>` and the same-line
 * form. A suppressed finding stays in the results with `suppressed: { kind: 'inSource', justification }`; a
 * suppression without a reason suppresses nothing and is reported in `errors[]` with kind `suppression`.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJson, scan } from '../../src/index.js';
import { findingsOf, lineOf, removeProjects, reported, scanProject, where } from './project.js';

afterAll(removeProjects);

const FIXTURE = path.resolve(__dirname, '../../fixtures/suppressions');
const ROUTES = 'src/routes/internal.js';

/** A public Next.js route with no protection: no-auth, no-rate-limit, no-spend-cap and unbounded-input fire. */
function openRoute(directive: string): string {
  return [
    `import OpenAI from 'openai';`,
    ``,
    `const openai = new OpenAI();`,
    ``,
    directive,
    `export async function POST(req: Request) {`,
    `  const { prompt } = await req.json();`,
    `  const completion = await openai.chat.completions.create({`,
    `    model: 'gpt-4o-mini',`,
    `    max_tokens: 300,`,
    `    messages: [{ role: 'user', content: prompt }],`,
    `  });`,
    `  return Response.json({ text: completion.choices[0].message.content, tokens: completion.usage?.total_tokens });`,
    `}`,
    ``,
  ].join('\n');
}
const ROUTE_FILE = 'app/api/chat/route.ts';
const ROUTE_LINE = 6;

describe('suppressions fixture', () => {
  it('keeps suppressed findings with their kind and the reason written after "--"', async () => {
    const result = await scan({ paths: [path.join(FIXTURE, 'fixed')] });
    const suppressed = result.findings
      .filter((f) => f.suppressed)
      .map((f) => ({ rule: f.ruleId, at: where(f), ...f.suppressed }))
      .sort((a, b) => a.rule.localeCompare(b.rule));
    expect(suppressed).toEqual([
      { rule: 'client-controlled-params', at: `${ROUTES}:39`, kind: 'inSource', justification: 'comparing models is what this staff-only tool is for' },
      {
        rule: 'no-rate-limit',
        at: `${ROUTES}:52`,
        kind: 'inSource',
        justification: 'only the nightly scheduler calls this, with the jobs token, and a run is capped at TICKETS_PER_RUN tickets',
      },
      {
        rule: 'no-spend-cap',
        at: `${ROUTES}:52`,
        kind: 'inSource',
        justification: 'only the nightly scheduler calls this, with the jobs token, and a run is capped at TICKETS_PER_RUN tickets',
      },
    ]);
    expect(result.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(result.errors.filter((e) => e.kind === 'suppression')).toEqual([]);
  });

  it('moves suppressed findings to suppressedFindings in the JSON report', async () => {
    const report = JSON.parse(renderJson(await scan({ paths: [path.join(FIXTURE, 'fixed')] })));
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings.map((f: { ruleId: string; line: number }) => `${f.ruleId}:${f.line}`).sort()).toEqual([
      'client-controlled-params:39',
      'no-rate-limit:52',
      'no-spend-cap:52',
    ]);
    expect(report.suppressedFindings[0].suppressed.kind).toBe('inSource');
  });

  it('reports a suppression without a reason as an error and suppresses nothing', async () => {
    const result = await scan({ paths: [path.join(FIXTURE, 'vulnerable')] });
    expect(result.findings.filter((f) => f.suppressed)).toEqual([]);
    expect(result.findings.map(where).sort()).toEqual([`${ROUTES}:39`, `${ROUTES}:52`, `${ROUTES}:52`]);
    const diagnostics = result.errors.filter((e) => e.kind === 'suppression');
    expect(diagnostics.map((e) => `${e.file}:${e.line}`)).toEqual([`${ROUTES}:39`, `${ROUTES}:51`]);
    for (const diagnostic of diagnostics) expect(diagnostic.message).toMatch(/reason/);

    const report = JSON.parse(renderJson(result));
    expect(report.suppressedFindings).toEqual([]);
    expect(report.errors.filter((e: { kind: string }) => e.kind === 'suppression')).toHaveLength(2);
  });
});

describe('suppression scope', () => {
  it('suppresses only the rules it names', async () => {
    const source = openRoute('// ai-endpoint-audit-disable-next-line no-rate-limit -- an upstream API gateway limits this path');
    const result = await scanProject({ [ROUTE_FILE]: source });
    const at = `${ROUTE_FILE}:${ROUTE_LINE}`;
    expect(reported(result, 'no-auth')).toEqual([at]);
    expect(reported(result, 'no-spend-cap')).toEqual([at]);
    expect(reported(result, 'no-rate-limit')).toEqual([]);
    expect(findingsOf(result, 'no-rate-limit')[0].suppressed).toEqual({ kind: 'inSource', justification: 'an upstream API gateway limits this path' });
  });

  it('accepts several rules and a block comment', async () => {
    const source = openRoute('/* ai-endpoint-audit-disable-next-line no-auth,no-rate-limit, no-spend-cap -- internal network only */');
    const result = await scanProject({ [ROUTE_FILE]: source });
    for (const rule of ['no-auth', 'no-rate-limit', 'no-spend-cap']) {
      expect(findingsOf(result, rule).map((f) => f.suppressed?.justification)).toEqual(['internal network only']);
    }
    expect(reported(result, 'unbounded-input')).toHaveLength(1);
  });

  it('suppresses a property-level finding with the same-line form', async () => {
    const source = openRoute('').replace(
      `messages: [{ role: 'user', content: prompt }],`,
      `messages: [{ role: 'user', content: prompt }], // ai-endpoint-audit-disable-line unbounded-input -- the gateway caps bodies at 4 KB`,
    );
    const result = await scanProject({ [ROUTE_FILE]: source });
    const [finding] = findingsOf(result, 'unbounded-input');
    expect(finding.location.line).toBe(lineOf(source, 'messages: ['));
    expect(finding.suppressed).toEqual({ kind: 'inSource', justification: 'the gateway caps bodies at 4 KB' });
  });

  it('reads directives only in comments, not in strings or templates that hold the same words', async () => {
    const source = openRoute("const note = 'ai-endpoint-audit-disable-next-line no-auth -- internal network only';").replace(
      `messages: [{ role: 'user', content: prompt }],`,
      'messages: [{ role: \'user\', content: `${prompt} // ai-endpoint-audit-disable-line unbounded-input -- gateway caps` }],',
    );
    const result = await scanProject({ [ROUTE_FILE]: source });
    expect(findingsOf(result, 'no-auth').map((f) => f.suppressed)).toEqual([undefined]);
    expect(findingsOf(result, 'unbounded-input').map((f) => f.suppressed)).toEqual([undefined]);
  });

  it('reads each line of a comment that spans several lines as that line', async () => {
    const header = 'export async function POST(req: Request) {';
    const source = openRoute(
      `/* Staff-only route, see the runbook.\n   ai-endpoint-audit-disable-line no-auth -- internal network only */ ${header}`,
    ).replace(`*/ ${header}\n${header}`, `*/ ${header}`);
    const result = await scanProject({ [ROUTE_FILE]: source });
    const [finding] = findingsOf(result, 'no-auth');
    expect(finding.location.line).toBe(lineOf(source, header));
    expect(finding.suppressed?.justification).toBe('internal network only');
  });

  it('does not reach past the next line', async () => {
    const source = openRoute('// ai-endpoint-audit-disable-next-line no-auth -- internal network only\n');
    const result = await scanProject({ [ROUTE_FILE]: source });
    expect(reported(result, 'no-auth')).toEqual([`${ROUTE_FILE}:${ROUTE_LINE + 1}`]);
  });

  it('does not apply the same-line form to the line below, nor the next-line form to its own line', async () => {
    const sameLineAbove = openRoute('// ai-endpoint-audit-disable-line no-auth -- internal network only');
    expect(reported(await scanProject({ [ROUTE_FILE]: sameLineAbove }), 'no-auth')).toEqual([`${ROUTE_FILE}:${ROUTE_LINE}`]);
    const nextLineOnRoute = openRoute('').replace(
      'export async function POST(req: Request) {',
      'export async function POST(req: Request) { // ai-endpoint-audit-disable-next-line no-auth -- internal network only',
    );
    expect(reported(await scanProject({ [ROUTE_FILE]: nextLineOnRoute }), 'no-auth')).toEqual([`${ROUTE_FILE}:${ROUTE_LINE}`]);
  });

  it('reports every suppression that lacks a reason, even where no finding matches it', async () => {
    const source = openRoute('// ai-endpoint-audit-disable-next-line client-controlled-params');
    const result = await scanProject({ [ROUTE_FILE]: source });
    expect(result.errors.filter((e) => e.kind === 'suppression').map((e) => `${e.file}:${e.line}`)).toEqual([`${ROUTE_FILE}:${ROUTE_LINE - 1}`]);
  });
});
