/**
 * A rule tester in the style of ESLint's RuleTester: a rule runs on hand-made facts (no scanning), through the
 * same runner the scan uses (one finding per rule and endpoint, the rule's severity, the confidence from unseen
 * elements), and each case states what it must report.
 *
 * - `valid`: facts on which the rule reports nothing;
 * - `invalid`: facts and the findings the rule reports, each with its line, message fragments and, when it is
 *   not `high`, its confidence.
 */
import { describe, expect, it } from 'vitest';
import { applyRules, FileTexts } from '../../src/pipeline/apply-rules.js';
import { leastProtected } from '../../rules/least-protected.js';
import type {
  AiCall,
  Confidence,
  Endpoint,
  EndpointFacts,
  Evidence,
  ProjectFacts,
  Rule,
  Severity,
  SourceLocation,
} from '../../src/model.js';

/** The scanned file every hand-made fact sits in. */
export const FILE = 'app/api/chat/route.ts';

export function at(line: number, file = FILE): SourceLocation {
  return { file, line, column: 1, endLine: line, endColumn: 2 };
}

export function evidence(line: number, description: string): Evidence {
  return { location: at(line), description };
}

export function aiCall(line: number, overrides: Partial<AiCall> = {}): AiCall {
  return { location: at(line), provider: 'openai', api: 'chat.completions.create', model: 'gpt-4o', ...overrides };
}

export function noFacts(): EndpointFacts {
  return { auth: [], rateLimits: [], spendCaps: [], failOpenSpendCaps: [], unboundedInputs: [], clientParams: [], uncappedOutputs: [], unseen: [] };
}

export interface EndpointSketch extends Partial<Omit<Endpoint, 'facts' | 'callFacts'>> {
  /** The facts of its one paid call. */
  facts?: Partial<EndpointFacts>;
  /** The facts of each of its paid calls, when it reaches several. */
  calls?: Partial<EndpointFacts>[];
}

/**
 * `POST /api/chat` at line 3, calling openai at line 10, with the given facts and fields; no facts by default.
 * `facts` describes its one paid call, `calls` each of several.
 */
export function endpoint(sketch: EndpointSketch = {}): Endpoint {
  const { facts, calls, ...fields } = sketch;
  const callFacts = (calls ?? [facts ?? {}]).map((call) => ({ ...noFacts(), ...call }));
  const method = fields.method ?? 'POST';
  const routePath = fields.path ?? '/api/chat';
  const location = fields.location ?? at(3);
  return {
    id: `${method} ${routePath} (${location.file})`,
    framework: 'nextjs-app',
    method,
    path: routePath,
    location,
    aiCalls: callFacts.map((_, i) => aiCall(10 + i)),
    ...fields,
    callFacts,
    facts: leastProtected(callFacts),
  };
}

export function projectFacts(overrides: Partial<ProjectFacts> = {}): ProjectFacts {
  return { exposedKeys: [], usageTracked: true, ...overrides };
}

interface Case {
  name: string;
  /** The endpoints the rule sees; one bare endpoint when absent. */
  endpoints?: Endpoint[];
  project?: ProjectFacts;
}

export interface ExpectedFinding {
  line: number;
  file?: string;
  /** Fragments the message must contain. */
  message: string[];
  /** `high` when absent. */
  confidence?: Confidence;
}

export interface RuleCases {
  /** The rule id and severity, public contracts: a change is a breaking one, so the tester pins them. */
  id: string;
  severity: Severity;
  valid: Case[];
  invalid: (Case & { findings: ExpectedFinding[] })[];
}

function run(rule: Rule, testCase: Case) {
  const endpoints = testCase.endpoints ?? [endpoint()];
  return applyRules(endpoints, testCase.project ?? projectFacts(), [rule], new FileTexts('/nonexistent'));
}

export function testRule(rule: Rule, cases: RuleCases): void {
  describe(`rule ${cases.id}`, () => {
    it(`is ${cases.id}, severity ${cases.severity}`, () => {
      expect(rule.meta.id).toBe(cases.id);
      expect(rule.meta.severity).toBe(cases.severity);
    });
    for (const testCase of cases.valid) {
      it(`valid: ${testCase.name}`, () => {
        expect(run(rule, testCase).map((f) => f.message)).toEqual([]);
      });
    }
    for (const testCase of cases.invalid) {
      it(`invalid: ${testCase.name}`, () => {
        const findings = run(rule, testCase);
        expect(findings.map((f) => `${f.location.file}:${f.location.line}`)).toEqual(testCase.findings.map((f) => `${f.file ?? FILE}:${f.line}`));
        findings.forEach((finding, i) => {
          const wanted = testCase.findings[i];
          expect(finding.ruleId).toBe(cases.id);
          expect(finding.severity).toBe(cases.severity);
          expect(finding.confidence ?? 'high').toBe(wanted.confidence ?? 'high');
          for (const fragment of wanted.message) expect(finding.message).toContain(fragment);
        });
      });
    }
  });
}
