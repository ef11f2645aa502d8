import { describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model.js';
import { renderJson } from '../../src/report/json.js';
import {
  CHAT_ID,
  CHAT_ROUTE,
  FINDINGS,
  LLM,
  SUMMARIZE_GET_ID,
  SUMMARIZE_POST_ID,
  SUMMARIZE_ROUTES,
  emptyResult,
  sampleResult,
} from './sample.js';

function reversed(result: ScanResult): ScanResult {
  return {
    ...result,
    endpoints: [...result.endpoints].reverse().map((e) => ({
      ...e,
      facts: {
        auth: [...e.facts.auth].reverse(),
        rateLimits: [...e.facts.rateLimits].reverse(),
        spendCaps: [...e.facts.spendCaps].reverse(),
        failOpenSpendCaps: [...e.facts.failOpenSpendCaps].reverse(),
        unboundedInputs: [...e.facts.unboundedInputs].reverse(),
        clientParams: [...e.facts.clientParams].reverse(),
        uncappedOutputs: [...e.facts.uncappedOutputs].reverse(),
        unseen: [...e.facts.unseen].reverse(),
      },
    })),
    findings: [...result.findings].reverse(),
    errors: [...result.errors].reverse(),
  };
}

describe('renderJson', () => {
  const text = renderJson(sampleResult());
  const report = JSON.parse(text);

  it('marks a route whose router mount was not resolved, and only that one', () => {
    const result = sampleResult();
    const [first, ...rest] = result.endpoints;
    const marked = JSON.parse(renderJson({ ...result, endpoints: [{ ...first!, mount: 'unresolved' }, ...rest] }));
    expect(marked.endpoints.filter((e: { mount?: string }) => e.mount === 'unresolved')).toHaveLength(1);
    expect(report.endpoints.some((e: { mount?: string }) => 'mount' in e)).toBe(false);
  });

  it('is pretty-printed with two spaces and ends with a newline', () => {
    expect(text.startsWith('{\n  "tool": {\n    "name": "ai-endpoint-audit",')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
  });

  it('has the documented top-level shape', () => {
    expect(Object.keys(report)).toEqual(['tool', 'root', 'endpoints', 'findings', 'suppressedFindings', 'errors', 'stats', 'unlinkedAiCalls', 'config']);
    expect(report.tool).toEqual({ name: 'ai-endpoint-audit', version: '0.1.0' });
    expect(report.root).toBe('/srv/acme-app');
    expect(report.stats).toEqual({ files: 57, analyzedFiles: 12, skippedFiles: { 'build-output': 40, minified: 1 }, durationMs: 1234 });
  });

  it('lists endpoints by file, line, then method, with their protections', () => {
    expect(report.endpoints).toStrictEqual([
      {
        id: CHAT_ID,
        framework: 'nextjs-app',
        method: 'POST',
        path: '/api/chat',
        file: CHAT_ROUTE,
        line: 14,
        aiCalls: [{ file: CHAT_ROUTE, line: 23, provider: 'openai', api: 'chat.completions.create', model: 'gpt-4o' }],
        protections: {
          auth: { present: false, status: 'absent', via: [] },
          rateLimit: {
            present: true,
            status: 'present',
            limiters: [
              {
                library: '@upstash/ratelimit',
                key: 'client',
                description: '@upstash/ratelimit limit() before the model call',
                file: CHAT_ROUTE,
                line: 17,
                keyFile: CHAT_ROUTE,
                keyLine: 15,
              },
            ],
          },
          spendCap: { present: false, status: 'absent', checks: [] },
          inputBounds: {
            bounded: false,
            unbounded: [
              { argument: 'messages', missing: ['array-length', 'item-size', 'roles'], file: CHAT_ROUTE, line: 25 },
            ],
          },
          costParameters: { fixed: false, fromRequest: [{ parameter: 'model', file: CHAT_ROUTE, line: 24 }] },
          outputCap: { capped: true, uncapped: [] },
        },
      },
      {
        id: SUMMARIZE_GET_ID,
        framework: 'express',
        method: 'GET',
        path: '/api/summarize',
        file: SUMMARIZE_ROUTES,
        line: 20,
        aiCalls: [{ file: LLM, line: 6, provider: 'anthropic', api: 'messages.create' }],
        protections: {
          auth: {
            present: true,
            status: 'present',
            via: [{ kind: 'middleware', description: 'requireSession on the router', file: SUMMARIZE_ROUTES, line: 19 }],
          },
          rateLimit: {
            present: true,
            status: 'present',
            limiters: [
              {
                library: 'express-rate-limit',
                key: 'ip',
                description: 'express-rate-limit with the default key generator',
                file: SUMMARIZE_ROUTES,
                line: 7,
              },
            ],
          },
          spendCap: { present: false, status: 'absent', checks: [] },
          inputBounds: { bounded: true, unbounded: [] },
          costParameters: { fixed: true, fromRequest: [] },
          outputCap: { capped: true, uncapped: [] },
        },
      },
      {
        id: SUMMARIZE_POST_ID,
        framework: 'express',
        method: 'POST',
        path: '/api/summarize',
        file: SUMMARIZE_ROUTES,
        line: 20,
        aiCalls: [{ file: LLM, line: 6, provider: 'anthropic', api: 'messages.create' }],
        protections: {
          auth: {
            present: true,
            status: 'present',
            // Sorted by location, not in the order the facts were produced.
            via: [
              {
                kind: 'handler-check',
                description: 'req.user is checked by withinBudget',
                file: SUMMARIZE_ROUTES,
                line: 14,
              },
              { kind: 'middleware', description: 'requireSession on the router', file: SUMMARIZE_ROUTES, line: 19 },
            ],
          },
          rateLimit: {
            present: true,
            status: 'present',
            limiters: [
              {
                library: 'express-rate-limit',
                key: 'ip',
                description: 'express-rate-limit with the default key generator',
                file: SUMMARIZE_ROUTES,
                line: 7,
              },
            ],
          },
          spendCap: {
            present: true,
            status: 'present',
            checks: [{ description: 'withinBudget() checks the monthly budget', file: SUMMARIZE_ROUTES, line: 14 }],
          },
          inputBounds: { bounded: true, unbounded: [] },
          costParameters: { fixed: true, fromRequest: [] },
          outputCap: { capped: true, uncapped: [] },
        },
      },
    ]);
  });

  it('flattens findings and orders them by file, line, column, then rule id', () => {
    expect(report.findings).toStrictEqual([
      {
        ruleId: 'no-auth',
        severity: 'critical',
        message: "'POST /api/chat' calls openai chat.completions.create with no authentication.",
        file: CHAT_ROUTE,
        line: 14,
        column: 23,
        endLine: 14,
        endColumn: 27,
        endpointId: CHAT_ID,
        related: [{ file: CHAT_ROUTE, line: 23, message: 'The paid model call reached from this route.' }],
        fingerprint: FINDINGS.noAuth.fingerprint,
        help: 'Require an authenticated session before the model call.',
        confidence: 'high',
      },
      {
        ruleId: 'client-keyed-rate-limit',
        severity: 'high',
        message: "The rate limit for 'POST /api/chat' is keyed on the x-user-id header, which the caller controls.",
        file: CHAT_ROUTE,
        line: 17,
        column: 29,
        endLine: 17,
        endColumn: 49,
        endpointId: CHAT_ID,
        related: [{ file: CHAT_ROUTE, line: 15, message: 'The key is read from this request header.' }],
        fingerprint: FINDINGS.clientKeyed.fingerprint,
        help: 'Key the limiter on the authenticated user id or the client IP.',
        confidence: 'high',
      },
      {
        ruleId: 'no-spend-cap',
        severity: 'medium',
        message: "'POST /api/chat' calls openai chat.completions.create without checking a budget.",
        file: CHAT_ROUTE,
        line: 23,
        column: 28,
        endLine: 26,
        endColumn: 5,
        endpointId: CHAT_ID,
        related: [],
        fingerprint: FINDINGS.chatSpend.fingerprint,
        help: 'Check a per-user or global budget before calling the model.',
        confidence: 'high',
      },
      {
        ruleId: 'unbounded-input',
        severity: 'medium',
        message: "'messages' reaches the model without a length, size or role limit.",
        file: CHAT_ROUTE,
        line: 23,
        column: 28,
        endLine: 26,
        endColumn: 5,
        endpointId: CHAT_ID,
        // Related evidence keeps the rule's order.
        related: [
          { file: CHAT_ROUTE, line: 21, message: 'messages is read from the request body.' },
          { file: CHAT_ROUTE, line: 25, message: 'It is passed to the model unchanged.' },
        ],
        fingerprint: FINDINGS.chatUnbounded.fingerprint,
        help: 'Validate the request body: cap the number of messages, the size of each, and the allowed roles.',
        confidence: 'high',
      },
      {
        ruleId: 'no-spend-cap',
        severity: 'medium',
        message: "'GET /api/summarize' calls anthropic messages.create without checking a budget.",
        file: LLM,
        line: 6,
        column: 25,
        endLine: 10,
        endColumn: 5,
        endpointId: SUMMARIZE_GET_ID,
        related: [
          { file: SUMMARIZE_ROUTES, line: 10, message: 'GET /api/summarize reaches the call through summarize().' },
        ],
        fingerprint: FINDINGS.getSpend.fingerprint,
        help: 'Check a per-user or global budget before calling the model.',
        confidence: 'high',
      },
      {
        ruleId: 'model-from-request',
        severity: 'low',
        message: 'summarize() passes a caller-supplied model id to anthropic messages.create.',
        file: LLM,
        line: 7,
        column: 5,
        endLine: 7,
        endColumn: 10,
        endpointId: null,
        related: [{ file: SUMMARIZE_ROUTES, line: 10, message: 'The model id comes from req.query.model.' }],
        fingerprint: FINDINGS.modelFromRequest.fingerprint,
        help: 'Pick the model on the server, or allow-list the ids a client may request.',
        confidence: 'high',
      },
    ]);
  });

  it('keeps the documented key order in findings and endpoints', () => {
    expect(Object.keys(report.findings[0])).toEqual([
      'ruleId',
      'severity',
      'message',
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'endpointId',
      'related',
      'fingerprint',
      'help',
      'confidence',
    ]);
    expect(Object.keys(report.endpoints[0])).toEqual([
      'id',
      'framework',
      'method',
      'path',
      'file',
      'line',
      'aiCalls',
      'protections',
    ]);
    expect(Object.keys(report.endpoints[0].protections)).toEqual(['auth', 'rateLimit', 'spendCap', 'inputBounds', 'costParameters', 'outputCap']);
  });

  it('lists the paid calls it could not price after the exposure, only when there are some', () => {
    const result = sampleResult();
    result.endpoints = result.endpoints.map((e) => (e.path === '/api/chat' ? { ...e, priceUnknown: ['fal subscribe, billed by media'] } : e));
    const endpoints = JSON.parse(renderJson(result)).endpoints as { path: string; priceUnknown?: string[] }[];
    expect(endpoints.find((e) => e.path === '/api/chat')?.priceUnknown).toEqual(['fal subscribe, billed by media']);
    expect(endpoints.filter((e) => 'priceUnknown' in e)).toHaveLength(1);
  });

  it('lists errors with optional file and line', () => {
    expect(report.errors).toStrictEqual([
      { file: 'app/legacy/broken.ts', line: 3, kind: 'syntax', message: "';' expected." },
      { file: 'public/vendor/bundle.min.js', kind: 'too-large', message: 'Skipped: 4.2 MB exceeds the 1 MB limit.' },
    ]);
    const withToolError = sampleResult();
    withToolError.errors.push({ kind: 'internal', message: 'Rule no-auth crashed.' });
    const errors = JSON.parse(renderJson(withToolError)).errors;
    expect(errors[0]).toStrictEqual({ kind: 'internal', message: 'Rule no-auth crashed.' });
  });

  it('does not depend on input order', () => {
    expect(renderJson(reversed(sampleResult()))).toBe(text);
  });

  it('does not include internal fields', () => {
    expect(text).not.toContain('lineHash');
    expect(text).not.toContain('"location"');
    expect(text).not.toContain('"facts"');
    expect(text).not.toContain('"rules"');
  });

  it('renders an empty scan', () => {
    expect(JSON.parse(renderJson(emptyResult()))).toStrictEqual({
      tool: { name: 'ai-endpoint-audit', version: '0.1.0' },
      root: '/srv/empty',
      endpoints: [],
      findings: [],
      suppressedFindings: [],
      errors: [],
      stats: { files: 3, analyzedFiles: 0, skippedFiles: {}, durationMs: 42 },
      unlinkedAiCalls: [],
      config: null,
    });
  });

  it('moves suppressed findings to suppressedFindings with their justification', () => {
    const result = sampleResult();
    const silenced = result.findings[0];
    silenced.suppressed = { kind: 'inSource', justification: 'marketing widget, limited by IP upstream' };
    const json = JSON.parse(renderJson(result));
    expect(json.findings).toHaveLength(result.findings.length - 1);
    expect(json.findings.map((f: { fingerprint: string }) => f.fingerprint)).not.toContain(silenced.fingerprint);
    expect(json.suppressedFindings).toStrictEqual([
      expect.objectContaining({
        ruleId: silenced.ruleId,
        fingerprint: silenced.fingerprint,
        suppressed: { kind: 'inSource', justification: 'marketing widget, limited by IP upstream' },
      }),
    ]);
  });
});
