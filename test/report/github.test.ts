import { describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model.js';
import { escapeData, escapeProperty, renderGithub, workflowCommand } from '../../src/report/github.js';
import { FINDINGS, emptyResult, sampleResult } from './sample.js';

describe('escaping (as the Actions runner unescapes)', () => {
  it('escapes %, CR and LF in messages', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
  });

  it('also escapes : and , in properties', () => {
    expect(escapeProperty('C:\\app,1%\n')).toBe('C%3A\\app%2C1%25%0A');
  });

  it('text from the scanned code cannot start a command of its own or end a property', () => {
    const line = workflowCommand('error', { file: 'a,title=x.ts', line: 3 }, 'first\n::error file=evil.ts::second');
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toBe('::error file=a%2Ctitle=x.ts,line=3::first%0A::error file=evil.ts::second');
  });
});

describe('renderGithub', () => {
  it('one annotation per finding, in order, with severity mapped to error, warning or notice', () => {
    const lines = renderGithub(sampleResult()).split('\n');
    expect(lines.filter((l) => l.startsWith('::'))).toEqual([
      `::error file=app/api/chat/route.ts,line=14,endLine=14,col=23,endColumn=27,title=no-auth::'POST /api/chat' calls openai chat.completions.create with no authentication.%0AFix: Require an authenticated session before the model call.`,
      `::error file=app/api/chat/route.ts,line=17,endLine=17,col=29,endColumn=49,title=client-keyed-rate-limit::The rate limit for 'POST /api/chat' is keyed on the x-user-id header, which the caller controls.%0AFix: Key the limiter on the authenticated user id or the client IP.`,
      `::warning file=app/api/chat/route.ts,line=23,title=no-spend-cap::'POST /api/chat' calls openai chat.completions.create without checking a budget.%0AFix: ${FINDINGS.chatSpend.help}`,
      `::warning file=app/api/chat/route.ts,line=23,title=unbounded-input::'messages' reaches the model without a length, size or role limit.%0AFix: ${FINDINGS.chatUnbounded.help}`,
      `::warning file=server/lib/llm.ts,line=6,title=no-spend-cap::'GET /api/summarize' calls anthropic messages.create without checking a budget.%0AFix: ${FINDINGS.getSpend.help}`,
      `::notice file=server/lib/llm.ts,line=7,endLine=7,col=5,endColumn=10,title=model-from-request::summarize() passes a caller-supplied model id to anthropic messages.create.%0AFix: ${FINDINGS.modelFromRequest.help}`,
    ]);
    expect(lines).toContain('ai-endpoint-audit: 3 AI endpoints, 6 findings (1 critical, 1 high, 3 medium, 1 low)');
  });

  it('paths are relative to the workspace when the scanned root is a subfolder', () => {
    const out = renderGithub(sampleResult('/home/runner/work/acme/acme/apps/web'), { baseDir: '/home/runner/work/acme/acme' });
    expect(out).toContain('::error file=apps/web/app/api/chat/route.ts,line=14,');
  });

  it('per-file problems are log lines, not annotations', () => {
    const out = renderGithub(sampleResult());
    expect(out).toContain("ai-endpoint-audit: syntax app/legacy/broken.ts:3: ';' expected.");
    expect(out.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(6);
  });

  it('leaves suppressed findings out and reports a clean scan in one line', () => {
    const result: ScanResult = sampleResult();
    result.findings = result.findings.map((f) => ({ ...f, suppressed: { kind: 'inSource', justification: 'internal only' } }));
    result.errors = [];
    expect(renderGithub(result)).toBe('ai-endpoint-audit: 3 AI endpoints, 0 findings\n');
    expect(renderGithub(emptyResult())).toBe('ai-endpoint-audit: 0 AI endpoints, 0 findings\n');
  });
});

describe('many findings', () => {
  it('puts the most severe first and says when GitHub will not show them all', () => {
    const result = sampleResult();
    const many = Array.from({ length: 12 }, (_, i) => ({ ...FINDINGS.getSpend, fingerprint: `f${i}`, location: { ...FINDINGS.getSpend.location, line: i + 1, endLine: i + 1 } }));
    result.findings = [...many, FINDINGS.noAuth];
    const commands = renderGithub(result).split('\n');
    expect(commands[0]).toMatch(/^::error .*title=no-auth::/);
    expect(commands.filter((l) => l.startsWith('::warning '))).toHaveLength(12);
    expect(commands).toContain(
      'ai-endpoint-audit: GitHub shows 10 annotations of each level per step; every finding is listed above, and in the SARIF and Markdown reports.',
    );
  });
});
