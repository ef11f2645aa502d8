/**
 * Every project under fixtures/ (a `vulnerable` and a `fixed` variant each) carries an expected.yaml
 * with the exact findings the scanner must report: rule, file and line. Nothing more, nothing less,
 * for the rules the file lists under `rules:` (by default every rule).
 *
 * - `findings`: reported findings (not suppressed), with `confidence: medium|low` when the path holds an
 *   element the scanner cannot see into (every other finding must be `high`);
 * - `suppressed`: findings that stay in the results with a `suppressed` field (inline suppression or a
 *   declared public route), with the suppression kind;
 * - `diagnostics`: the `suppression` entries of `errors[]` (a suppression without a reason);
 * - `endpoints`: the AI endpoint inventory (method, path, framework, file), exactly; a fixture without the key
 *   fails, so a scanner that finds no endpoint cannot pass by reporting nothing.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULES, scan } from '../src/index.js';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const ALL_RULES = [
  'no-auth',
  'no-rate-limit',
  'client-keyed-rate-limit',
  'no-spend-cap',
  'unbounded-input',
  'spend-cap-fails-open',
  'client-controlled-params',
  'no-output-cap',
  'exposed-api-key',
  'no-usage-tracking',
];

interface Located {
  rule: string;
  file: string;
  line: number;
  confidence?: string;
}

interface Expected {
  description?: string;
  rules?: string[];
  findings?: Located[];
  suppressed?: (Located & { kind: string })[];
  diagnostics?: { file: string; line: number }[];
  /** The endpoint inventory: every AI endpoint the scan must report, nothing more. */
  endpoints?: ExpectedEndpoint[];
}

interface ExpectedEndpoint {
  method: string;
  path: string;
  framework: string;
  file: string;
  /** `unresolved` when the route's router is mounted where the scanner cannot follow. */
  mount?: string;
}

function fixtureProjects(): string[] {
  const found: string[] = [];
  for (const group of readdirSync(FIXTURES).sort()) {
    const groupDir = path.join(FIXTURES, group);
    if (!statSync(groupDir).isDirectory()) continue;
    for (const variant of readdirSync(groupDir).sort()) {
      if (existsSync(path.join(groupDir, variant, 'expected.yaml'))) found.push(path.join(group, variant));
    }
  }
  return found;
}

const key = (f: Located) => `${f.rule} ${f.file}:${f.line}${f.confidence && f.confidence !== 'high' ? ` (${f.confidence})` : ''}`;
const endpointKey = (e: ExpectedEndpoint) => `${e.method} ${e.path} (${e.framework}) ${e.file}${e.mount ? ` mount=${e.mount}` : ''}`;

describe('fixtures', () => {
  const projects = fixtureProjects();
  it('has fixture projects', () => {
    expect(projects.length).toBeGreaterThan(0);
  });

  it('runs every registered rule by default', () => {
    expect(RULES.map((r) => r.meta.id).sort()).toEqual([...ALL_RULES].sort());
  });

  for (const project of projects) {
    it(project, async () => {
      const dir = path.join(FIXTURES, project);
      const expected = parse(readFileSync(path.join(dir, 'expected.yaml'), 'utf8')) as Expected;
      const rules = new Set(expected.rules ?? ALL_RULES);
      const result = await scan({ paths: [dir] });
      const inScope = result.findings.filter((f) => rules.has(f.ruleId));
      const located = (f: (typeof inScope)[number]) => ({ rule: f.ruleId, file: f.location.file, line: f.location.line, confidence: f.confidence });

      const reported = inScope.filter((f) => !f.suppressed).map((f) => key(located(f))).sort();
      const wanted = (expected.findings ?? []).filter((f) => rules.has(f.rule)).map(key).sort();
      expect(reported).toEqual(wanted);

      const suppressed = inScope
        .filter((f) => f.suppressed)
        .map((f) => `${key(located(f))} ${f.suppressed!.kind}`)
        .sort();
      const wantedSuppressed = (expected.suppressed ?? []).filter((f) => rules.has(f.rule)).map((f) => `${key(f)} ${f.kind}`).sort();
      expect(suppressed).toEqual(wantedSuppressed);

      const diagnostics = result.errors
        .filter((e) => e.kind === 'suppression')
        .map((e) => `${e.file}:${e.line}`)
        .sort();
      expect(diagnostics).toEqual((expected.diagnostics ?? []).map((d) => `${d.file}:${d.line}`).sort());

      expect(expected.endpoints, 'expected.yaml must list the endpoint inventory').toBeDefined();
      const inventory = result.endpoints.map((e) => endpointKey({ ...e, file: e.location.file })).sort();
      expect(inventory).toEqual(expected.endpoints!.map(endpointKey).sort());
    });
  }
});
