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
 * - `endpoints`: the AI endpoint inventory (method, path, framework, file, and the `provider api` of each paid
 *   call the endpoint reaches), exactly; a fixture without the key fails, so a scanner that finds no endpoint
 *   cannot pass by reporting nothing.
 *
 * test/fixtures.test.ts asserts these comparisons; test/fixtures-stub.test.ts checks they fail when the scanner
 * finds nothing.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { scan as scanProject } from '../src/index.js';

export const FIXTURES = path.resolve(__dirname, '../fixtures');
export const ALL_RULES = [
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

export interface Expected {
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
  /** The paid calls the endpoint reaches, `provider api` each (`openai chat.completions.create`), once each. */
  calls?: string[];
}

/** One assertion of a fixture: what the scan gave against what expected.yaml says. */
export interface Comparison {
  what: string;
  actual: unknown;
  expected: unknown;
}

export function fixtureProjects(): string[] {
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

export function readExpected(project: string): Expected {
  return parse(readFileSync(path.join(FIXTURES, project, 'expected.yaml'), 'utf8')) as Expected;
}

const key = (f: Located) => `${f.rule} ${f.file}:${f.line}${f.confidence && f.confidence !== 'high' ? ` (${f.confidence})` : ''}`;
const endpointKey = (e: ExpectedEndpoint) =>
  `${e.method} ${e.path} (${e.framework}) ${e.file}${e.mount ? ` mount=${e.mount}` : ''} calls=[${(e.calls ?? []).join(', ')}]`;

/** Scans the fixture and pairs each part of the result with what expected.yaml says it must be. */
export async function compareFixture(project: string, scan: typeof scanProject): Promise<Comparison[]> {
  const expected = readExpected(project);
  const rules = new Set(expected.rules ?? ALL_RULES);
  const result = await scan({ paths: [path.join(FIXTURES, project)] });
  const inScope = result.findings.filter((f) => rules.has(f.ruleId));
  const located = (f: (typeof inScope)[number]) => ({ rule: f.ruleId, file: f.location.file, line: f.location.line, confidence: f.confidence });
  const calls = (e: (typeof result.endpoints)[number]) => [...new Set(e.aiCalls.map((call) => `${call.provider} ${call.api}`))].sort();
  return [
    {
      what: 'findings',
      actual: inScope.filter((f) => !f.suppressed).map((f) => key(located(f))).sort(),
      expected: (expected.findings ?? []).filter((f) => rules.has(f.rule)).map(key).sort(),
    },
    {
      what: 'suppressed findings',
      actual: inScope.filter((f) => f.suppressed).map((f) => `${key(located(f))} ${f.suppressed!.kind}`).sort(),
      expected: (expected.suppressed ?? []).filter((f) => rules.has(f.rule)).map((f) => `${key(f)} ${f.kind}`).sort(),
    },
    {
      what: 'suppression diagnostics',
      actual: result.errors.filter((e) => e.kind === 'suppression').map((e) => `${e.file}:${e.line}`).sort(),
      expected: (expected.diagnostics ?? []).map((d) => `${d.file}:${d.line}`).sort(),
    },
    {
      what: 'endpoint inventory',
      actual: result.endpoints.map((e) => endpointKey({ ...e, file: e.location.file, calls: calls(e) })).sort(),
      expected: (expected.endpoints ?? []).map(endpointKey).sort(),
    },
  ];
}
