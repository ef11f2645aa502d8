import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model.js';
import { lineHashes } from '../../src/findings/fingerprint.js';
import { fileUri, renderSarif } from '../../src/report/sarif.js';
import { RULES as BUILT_IN_RULES } from '../../src/index.js';
import { FINDINGS, RULES, SAMPLE_FILES, emptyResult, sampleResult, writeSampleProject } from './sample.js';

const fileTexts = (file: string) => SAMPLE_FILES[file];

/** A parsed SARIF log, navigated freely in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any shape the assertions walk into
type Json = any;

function parse(text: string): Json {
  return JSON.parse(text);
}

describe('renderSarif', () => {
  const root = writeSampleProject();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const result = sampleResult(root);
  const text = renderSarif(result, fileTexts);
  const log = parse(text);
  const run = log.runs[0];
  const sortedFindings = [
    FINDINGS.noAuth,
    FINDINGS.clientKeyed,
    FINDINGS.chatSpend,
    FINDINGS.chatUnbounded,
    FINDINGS.getSpend,
    FINDINGS.modelFromRequest,
  ];

  it('is a SARIF 2.1.0 log with one run', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('describes the tool', () => {
    const { driver } = run.tool;
    expect(driver.name).toBe('ai-endpoint-audit');
    expect(driver.version).toBe('0.1.0');
    expect(driver.semanticVersion).toBe('0.1.0');
    expect(driver.informationUri).toBe('https://github.com/ai-endpoint-audit/ai-endpoint-audit');
  });

  it('lists every rule, sorted by id, with GitHub security metadata', () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((r: Json) => r.id)).toEqual([
      'client-keyed-rate-limit',
      'model-from-request',
      'no-auth',
      'no-rate-limit',
      'no-spend-cap',
      'unbounded-input',
    ]);
    const expected = {
      critical: ['error', '9.5'],
      high: ['error', '8.0'],
      medium: ['warning', '5.5'],
      low: ['note', '3.0'],
    } as const;
    for (const rule of rules) {
      const meta = RULES.find((m) => m.id === rule.id)!;
      expect(rule.name).toBe(meta.name);
      expect(rule.shortDescription).toEqual({ text: meta.shortDescription });
      expect(rule.fullDescription).toEqual({ text: meta.fullDescription });
      expect(rule.help.markdown).toBe(meta.helpMarkdown);
      expect(rule.help.text).toContain(meta.fix);
      expect(rule.defaultConfiguration).toEqual({ level: expected[meta.severity][0] });
      expect(rule.properties['security-severity']).toBe(expected[meta.severity][1]);
      expect(Number.isFinite(Number(rule.properties['security-severity']))).toBe(true);
      expect(rule.properties.precision).toBe('high');
      expect(rule.properties.tags[0]).toBe('security');
      for (const tag of meta.tags) expect(rule.properties.tags).toContain(tag);
      expect(new Set(rule.properties.tags).size).toBe(rule.properties.tags.length);
    }
    // The no-rate-limit rule ran without findings and is still listed.
    expect(run.results.some((r: Json) => r.ruleId === 'no-rate-limit')).toBe(false);
  });

  it("gives every built-in rule its page, CWE and OWASP tags and measured precision", () => {
    const builtIn = JSON.parse(renderSarif({ ...sampleResult(), rules: BUILT_IN_RULES.map((r) => r.meta) })).runs[0].tool.driver.rules;
    for (const { meta } of BUILT_IN_RULES) {
      const rule = builtIn.find((r: Json) => r.id === meta.id);
      expect(rule.helpUri).toBe(`https://github.com/ai-endpoint-audit/ai-endpoint-audit/blob/main/rules/${meta.id}.md`);
      expect(rule.properties.precision).toBe(meta.precision);
      expect(meta.cwe?.length, meta.id).toBeGreaterThan(0);
      for (const cwe of meta.cwe ?? []) expect(rule.properties.tags).toContain(`external/cwe/${cwe.toLowerCase()}`);
      expect(rule.help.markdown).toContain('## Classification');
    }
    const tagsOf = (id: string) => builtIn.find((r: Json) => r.id === id).properties.tags;
    expect(tagsOf('no-auth')).toContain('external/cwe/cwe-306');
    expect(tagsOf('no-rate-limit')).toEqual(expect.arrayContaining(['external/cwe/cwe-770', 'external/owasp-llm/llm10:2025']));
    expect(tagsOf('exposed-api-key')).toContain('external/cwe/cwe-798');
    expect(builtIn.find((r: Json) => r.id === 'no-output-cap').properties.precision).toBe('medium');
  });

  it('makes URIs relative to the repository root when a sub-folder was scanned', () => {
    const log = JSON.parse(renderSarif(sampleResult('/home/runner/work/acme/acme/apps/web'), undefined, { repositoryRoot: '/home/runner/work/acme/acme' }));
    const first = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(first).toEqual({ uri: 'apps/web/app/api/chat/route.ts', uriBaseId: '%SRCROOT%' });
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///home/runner/work/acme/acme/');
    const outside = JSON.parse(renderSarif(sampleResult('/srv/acme-app'), undefined, { repositoryRoot: '/home/runner/work/acme/acme' }));
    expect(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('app/api/chat/route.ts');
  });

  it('reports findings in order, each pointing at its rule', () => {
    expect(run.results.map((r: Json) => [r.ruleId, r.locations[0].physicalLocation.region.startLine])).toEqual(
      sortedFindings.map((f) => [f.ruleId, f.location.line]),
    );
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
    expect(run.results.map((r: Json) => r.level)).toEqual(['error', 'error', 'warning', 'warning', 'warning', 'note']);
  });

  it('writes the primary location as a repo-relative URI with a full region', () => {
    const first = run.results[0];
    expect(first.message).toEqual({ text: FINDINGS.noAuth.message });
    expect(first.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'app/api/chat/route.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 14, startColumn: 23, endLine: 14, endColumn: 27 },
        },
      },
    ]);
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(root).href}/`);
  });

  it('writes related evidence as numbered related locations', () => {
    const unbounded = run.results[3];
    expect(unbounded.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'app/api/chat/route.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 21, startColumn: 20, endLine: 21, endColumn: 33 },
        },
        message: { text: 'messages is read from the request body.' },
      },
      {
        id: 2,
        physicalLocation: {
          artifactLocation: { uri: 'app/api/chat/route.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 25, startColumn: 5, endLine: 25, endColumn: 13 },
        },
        message: { text: 'It is passed to the model unchanged.' },
      },
      {
        id: 3,
        physicalLocation: {
          artifactLocation: { uri: 'app/api/chat/route.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 23, startColumn: 28, endLine: 26, endColumn: 5 },
        },
        message: { text: 'the whole route registration or handler' },
      },
    ]);
    // Code scanning places a result at its region's last line: a span of lines is placed on its first.
    expect(unbounded.locations[0].physicalLocation.region).toEqual({ startLine: 23, startColumn: 28 });
    expect(run.results[2].relatedLocations).toHaveLength(1);
  });

  it('carries our fingerprint and the line hash GitHub would compute', () => {
    sortedFindings.forEach((finding, i) => {
      const r = run.results[i];
      expect(r.fingerprints).toEqual({ 'aiEndpointAudit/v1': finding.fingerprint });
      const expected = lineHashes(SAMPLE_FILES[finding.location.file]!)[finding.location.line - 1];
      expect(r.partialFingerprints).toEqual({ primaryLocationLineHash: expected });
    });
  });

  it('reads files from the root when no texts are supplied, and skips the hash when it cannot', () => {
    expect(renderSarif(result)).toBe(text);

    const elsewhere = sampleResult('/nonexistent/ai-endpoint-audit-root');
    const noSource: ScanResult = {
      ...elsewhere,
      findings: elsewhere.findings.map((f) => ({ ...f, lineHash: '' })),
    };
    for (const r of parse(renderSarif(noSource)).runs[0].results) {
      expect(r.partialFingerprints).toBeUndefined();
      expect(r.fingerprints['aiEndpointAudit/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    // With no source but a hash stored on the finding, that hash is used.
    const stored = parse(renderSarif(elsewhere)).runs[0].results;
    expect(stored[0].partialFingerprints).toEqual({ primaryLocationLineHash: FINDINGS.noAuth.lineHash });
  });

  it('reports per-file problems as tool execution notifications', () => {
    expect(run.invocations).toHaveLength(1);
    expect(run.invocations[0].executionSuccessful).toBe(true);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: "';' expected." },
        descriptor: { id: 'syntax' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'app/legacy/broken.ts', uriBaseId: '%SRCROOT%' },
              region: { startLine: 3 },
            },
          },
        ],
      },
      {
        level: 'warning',
        message: { text: 'Skipped: 4.2 MB exceeds the 1 MB limit.' },
        descriptor: { id: 'too-large' },
        locations: [
          { physicalLocation: { artifactLocation: { uri: 'public/vendor/bundle.min.js', uriBaseId: '%SRCROOT%' } } },
        ],
      },
    ]);
    const clean = parse(renderSarif(emptyResult()));
    expect(clean.runs[0].invocations).toEqual([{ executionSuccessful: true }]);
    expect(clean.runs[0].results).toEqual([]);
    expect(clean.runs[0].tool.driver.rules).toHaveLength(RULES.length);
  });

  it('does not depend on input order', () => {
    const shuffled: ScanResult = {
      ...result,
      rules: [...result.rules].reverse(),
      findings: [...result.findings].reverse(),
      errors: [...result.errors].reverse(),
    };
    expect(renderSarif(shuffled, fileTexts)).toBe(text);
  });

  it('adds a descriptor for a rule that reported without metadata', () => {
    const extra: ScanResult = {
      ...result,
      findings: [...result.findings, { ...FINDINGS.noAuth, ruleId: 'custom-check', severity: 'high' }],
    };
    const sarifRun = parse(renderSarif(extra, fileTexts)).runs[0];
    const r = sarifRun.results.find((x: Json) => x.ruleId === 'custom-check');
    const rule = sarifRun.tool.driver.rules[r.ruleIndex];
    expect(rule.id).toBe('custom-check');
    expect(rule.name).toBe('CustomCheck');
    expect(rule.properties['security-severity']).toBe('8.0');
    expect(rule.help.text).toContain(FINDINGS.noAuth.help);
  });

  it('repairs inverted regions rather than emitting inconsistent ones', () => {
    const inverted: ScanResult = {
      ...result,
      findings: [{ ...FINDINGS.noAuth, location: { ...FINDINGS.noAuth.location, endLine: 13, endColumn: 1 } }],
    };
    const region = parse(renderSarif(inverted, fileTexts)).runs[0].results[0].locations[0].physicalLocation.region;
    expect(region).toEqual({ startLine: 14, startColumn: 23, endLine: 14, endColumn: 23 });
  });
});

describe('fileUri', () => {
  it('percent-encodes each path segment', () => {
    expect(fileUri('app/api/chat/route.ts')).toBe('app/api/chat/route.ts');
    expect(fileUri('app/(chat)/api/[id]/route.ts')).toBe('app/(chat)/api/%5Bid%5D/route.ts');
    expect(fileUri('src/my routes/ü#1.ts')).toBe('src/my%20routes/%C3%BC%231.ts');
    expect(fileUri('./src/a.ts')).toBe('src/a.ts');
    expect(fileUri('pages/api/a:b.ts')).toBe('pages/api/a%3Ab.ts');
  });
});
