/**
 * Validates our SARIF with Microsoft's SARIF Multitool (the `@microsoft/sarif-multitool` devDependency):
 * once with its default rules (schema plus SARIF authoring rules) and once with `--rule-kind Gh`, the
 * rules for GitHub Advanced Security ingestion. Both must report zero errors (and, currently, zero
 * warnings). The suite skips only when the validator binary cannot run on this machine.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model.js';
import { primaryLocationLineHash, stableFingerprint } from '../../src/findings/fingerprint.js';
import { renderSarif } from '../../src/report/sarif.js';
import { scan } from '../../src/pipeline/scan.js';
import { FINDINGS, emptyResult, sampleResult, writeSampleProject } from './sample.js';

/** A parsed SARIF log, navigated freely in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any shape the assertions walk into
type Json = any;

const require = createRequire(import.meta.url);
const ENV = { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' };

/** How to get the validator, for the skip message. */
const ENABLE_VALIDATOR = 'npm ci installs it (devDependency @microsoft/sarif-multitool) on linux-x64, darwin and win32';

type Validator = { ok: true; bin: string } | { ok: false; reason: string };

/** Finds the platform binary, makes it executable (npm skips the package's chmod), and checks it starts. */
function locateValidator(): Validator {
  const pkg = `@microsoft/sarif-multitool-${process.platform}`;
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return { ok: false, reason: `${pkg} is not installed (no SARIF Multitool build for this platform)` };
  }
  const bin = path.join(dir, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
  if (!existsSync(bin)) return { ok: false, reason: `${bin} is missing` };
  if (process.platform !== 'win32') {
    try {
      chmodSync(bin, 0o755);
    } catch (error) {
      return { ok: false, reason: `cannot make ${bin} executable: ${(error as Error).message}` };
    }
  }
  const probe = spawnSync(bin, ['--version'], { env: ENV, encoding: 'utf8', timeout: 120_000 });
  if (probe.error) return { ok: false, reason: `cannot run ${bin}: ${probe.error.message}` };
  if (probe.status !== 0) {
    return { ok: false, reason: `${bin} --version exited with ${probe.status}: ${(probe.stderr || probe.stdout).trim()}` };
  }
  return { ok: true, bin };
}

interface Validation {
  errors: Json[];
  warnings: Json[];
  notes: Json[];
  summary: string;
}

function validate(bin: string, sarifFile: string, extraArgs: string[]): Validation {
  const output = `${sarifFile}.${extraArgs.join('-') || 'default'}.validation.sarif`;
  rmSync(output, { force: true });
  const run = spawnSync(
    bin,
    ['validate', sarifFile, '--output', output, '--log', 'ForceOverwrite', '--level', 'Error;Warning;Note', ...extraArgs],
    { env: ENV, encoding: 'utf8', timeout: 300_000 },
  );
  expect(run.error, String(run.error)).toBeUndefined();
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(existsSync(output), `validator wrote no log:\n${run.stdout}\n${run.stderr}`).toBe(true);

  const log = JSON.parse(readFileSync(output, 'utf8'));
  const results: Json[] = log.runs.flatMap((r: Json) => r.results ?? []);
  const invocations: Json[] = log.runs.flatMap((r: Json) => r.invocations ?? []);
  const notifications: Json[] = invocations.flatMap((i: Json) => [
    ...(i.toolExecutionNotifications ?? []),
    ...(i.toolConfigurationNotifications ?? []),
  ]);
  for (const invocation of invocations) expect(invocation.executionSuccessful).toBe(true);

  // An absent level means "warning" in SARIF.
  const level = (x: Json) => x.level ?? 'warning';
  const show = (x: Json) =>
    `${level(x)} ${x.ruleId ?? x.descriptor?.id ?? ''} ${x.message?.text ?? ''} ${JSON.stringify(x.message?.arguments ?? [])}`;
  const errors = [...results, ...notifications].filter((x) => level(x) === 'error');
  const warnings = [...results, ...notifications].filter((x) => level(x) === 'warning');
  const notes = results.filter((x) => level(x) === 'note');
  return { errors, warnings, notes, summary: [...results, ...notifications].map(show).join('\n') };
}

/** The sample scan plus awkward paths, an unreadable file, a tool-level error and an undocumented rule. */
function edgeCaseResult(root: string): ScanResult {
  const nextFile = 'app/(chat)/api/[session]/route.ts';
  const spacedFile = 'src/my routes/übersicht #1.ts';
  const files: Record<string, string> = {
    [nextFile]: "export async function POST(req: Request) {\n  return Response.json(await streamText({ model, prompt: (await req.json()).prompt }));\n}\n",
    [spacedFile]: "app.post('/api/übersicht', async (req, res) => res.json(await openai.responses.create(req.body)));\n",
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const base = sampleResult(root);
  const at = (file: string, line: number) => ({ file, line, column: 3, endLine: line, endColumn: 40 });
  const extra = (ruleId: string, file: string, line: number, lineHash: string) => ({
    ...FINDINGS.noAuth,
    ruleId,
    location: at(file, line),
    endpointId: `POST /api/x (${file})`,
    related: [{ location: at(file, line), description: 'Here.' }],
    fingerprint: stableFingerprint([ruleId, file, String(line)]),
    lineHash,
  });
  return {
    ...base,
    tool: { name: 'ai-endpoint-audit', version: '1.2.3-beta.1+build.5' },
    findings: [
      ...base.findings,
      extra('no-auth', nextFile, 2, primaryLocationLineHash(files[nextFile]!, 2)),
      extra('no-rate-limit', spacedFile, 1, ''),
      // The file does not exist: no line hash can be computed.
      extra('no-spend-cap', 'deleted/since-scan.ts', 4, ''),
      // A rule missing from result.rules.
      { ...extra('experimental-check', nextFile, 1, ''), severity: 'low' as const },
    ],
    errors: [
      ...base.errors,
      { kind: 'internal', message: 'Rule no-spend-cap failed on one endpoint; results may be incomplete.' },
      { file: 'bin/run.sh', kind: 'binary', message: 'Skipped a binary file.' },
      { file: 'docs/[link].md', kind: 'symlink', message: 'Skipped a symbolic link that leaves the root.' },
    ],
  };
}

describe('SARIF passes Microsoft SARIF Multitool validation', () => {
  let validator: Validator;
  let root: string;
  let work: string;

  beforeAll(() => {
    validator = locateValidator();
    if (!validator.ok) console.warn(`Skipping SARIF validation: ${validator.reason}`);
    root = writeSampleProject();
    work = mkdtempSync(path.join(tmpdir(), 'aea-sarif-'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  const cases: [string, (root: string) => ScanResult][] = [
    ['the sample scan', (r) => sampleResult(r)],
    ['awkward paths, missing files, unknown rules and tool errors', edgeCaseResult],
    ['an empty scan', (r) => emptyResult(r)],
    // The rules' own metadata (helpUri, CWE and OWASP tags, measured precision), registration-line regions with
    // the span as a related location, and two endpoints: what a real scan writes.
    ['a real scan of a fixture', () => realScan],
  ];
  let realScan: ScanResult;
  beforeAll(async () => {
    realScan = await scan({ paths: [path.resolve(__dirname, '../../fixtures/pricing-open-models/vulnerable')] });
  });

  it('the real scan carries the fields the validation must cover', () => {
    const log = JSON.parse(renderSarif(realScan));
    const rules: Json[] = log.runs[0].tool.driver.rules;
    const results: Json[] = log.runs[0].results;
    expect(rules.length).toBeGreaterThan(3);
    for (const rule of rules) {
      expect(rule.helpUri, rule.id).toMatch(/^https:\/\/.+\/rules\/[a-z-]+\.md$/);
      expect(['very-high', 'high', 'medium', 'low']).toContain(rule.properties.precision);
      expect(rule.properties['security-severity']).toMatch(/^\d+(\.\d)?$/);
    }
    const tags = rules.flatMap((r) => r.properties.tags as string[]);
    expect(tags).toEqual(expect.arrayContaining(['external/cwe/cwe-306', 'external/cwe/cwe-770']));
    expect(tags.some((t) => t.startsWith('external/owasp-llm/'))).toBe(true);
    const noAuth = results.find((r) => r.ruleId === 'no-auth')!;
    const region = noAuth.locations[0].physicalLocation.region;
    expect(region.endLine ?? region.startLine).toBe(region.startLine);
    expect(noAuth.relatedLocations.some((l: Json) => (l.physicalLocation.region.endLine ?? 0) > region.startLine)).toBe(true);
    expect(noAuth.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
  });

  for (const [name, make] of cases) {
    for (const mode of [
      { label: 'default rules', args: [] as string[] },
      { label: 'GitHub ingestion rules (--rule-kind Gh)', args: ['--rule-kind', 'Gh'] },
    ]) {
      it(`${name}: ${mode.label}`, (ctx) => {
        if (!validator.ok) ctx.skip(`SARIF Multitool cannot run here: ${validator.reason}; ${ENABLE_VALIDATOR}`);
        const bin = (validator as { bin: string }).bin;
        const file = path.join(work, `${name.replace(/\W+/g, '-')}.sarif`);
        writeFileSync(file, renderSarif(make(root)));
        const validation = validate(bin, file, mode.args);
        expect(validation.errors, validation.summary).toEqual([]);
        expect(validation.warnings, validation.summary).toEqual([]);
      });
    }
  }

  it('finds errors in a broken log (the check above is not vacuous)', (ctx) => {
    if (!validator.ok) ctx.skip(`SARIF Multitool cannot run here: ${validator.reason}; ${ENABLE_VALIDATOR}`);
    const bin = (validator as { bin: string }).bin;
    const log = JSON.parse(renderSarif(sampleResult(root)));
    log.runs[0].results[0].locations = [];
    log.runs[0].results[1].locations[0].physicalLocation.region.startLine = -1;
    delete log.runs[0].tool.driver.rules[0].fullDescription;
    const file = path.join(work, 'broken.sarif');
    writeFileSync(file, JSON.stringify(log, null, 2));

    const byDefault = validate(bin, file, []);
    expect(byDefault.errors.map((e: Json) => e.ruleId)).toContain('JSON1008');
    const forGitHub = validate(bin, file, ['--rule-kind', 'Gh']);
    expect(forGitHub.errors.map((e: Json) => e.ruleId)).toEqual(expect.arrayContaining(['GH1015', 'GH2012']));
  });
});
