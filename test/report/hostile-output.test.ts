/**
 * Text from a hostile repository (file names, route strings, messages) in every format: no line may carry a
 * control character, a terminal escape, a bidi override, a workflow command (`::` at the start of a line) or
 * the legacy `##[` form.
 */
import { describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model.js';
import { renderGithub } from '../../src/report/github.js';
import { renderJson } from '../../src/report/json.js';
import { code, escapeText, MAX_CELL_CHARS, renderMarkdown } from '../../src/report/markdown.js';
import { clean, safeOutput } from '../../src/output/safe-text.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import { unsafeLine } from './inert.js';
import { sampleResult } from './sample.js';

const ESC = '\u001b';
const HOSTILE_FILE = `a\n::stop-commands::pwn\n.ts`;
const HOSTILE_STRINGS = [
  HOSTILE_FILE,
  `${ESC}]0;owned${'\u0007'}${ESC}[2J${ESC}[31mred`,
  'x\r::error::fake\u009b31m',
  'admin\u202egpj.exe\u2066\u2028',
  '##[error]fake ##vso[task.setvariable]x',
  '/c``<img src=x onerror=alert(1)>``',
];

function hostileResult(text: string): ScanResult {
  const result = sampleResult();
  const [first, ...rest] = result.endpoints;
  result.endpoints = [{ ...first!, path: text, method: `POST${text}`, location: { ...first!.location, file: text } }, ...rest];
  result.findings = result.findings.map((f) => ({ ...f, message: `${f.message} ${text}`, location: { ...f.location, file: text } }));
  result.errors = [{ kind: 'parse-error', file: text, line: 1, message: `bad ${text}` } as ScanResult['errors'][number], ...result.errors];
  return result;
}

describe('hostile text in every format', () => {
  for (const text of HOSTILE_STRINGS) {
    it(`stays inert: ${JSON.stringify(text)}`, () => {
      const result = hostileResult(text);
      expect(unsafeLine(renderText(result, { color: false }))).toBeUndefined();
      expect(unsafeLine(safeOutput(renderText(result, { color: true }), { colour: true }).replace(/\u001b\[[0-9;]*m/g, ''))).toBeUndefined();
      expect(unsafeLine(renderGithub(result), true)).toBeUndefined();
      expect(unsafeLine(renderMarkdown(result))).toBeUndefined();
      expect(unsafeLine(safeOutput(renderJson(result)))).toBeUndefined();
      expect(unsafeLine(safeOutput(renderSarif(result)))).toBeUndefined();
    });
  }

  it('keeps the JSON and SARIF reports valid JSON after the output filter', () => {
    const result = hostileResult(HOSTILE_STRINGS.join(''));
    expect(JSON.parse(safeOutput(renderJson(result))).findings[0].file).toBe(HOSTILE_STRINGS.join(''));
    expect(() => JSON.parse(safeOutput(renderSarif(result)))).not.toThrow();
  });

  it('the github format annotates each finding on one line and keeps the file name readable', () => {
    const lines = renderGithub(hostileResult(HOSTILE_FILE)).split('\n');
    const annotations = lines.filter((l) => l.startsWith('::'));
    expect(annotations.length).toBe(sampleResult().findings.filter((f) => !f.suppressed).length);
    expect(annotations[0]).toContain('file=a\\u000a%3A%3Astop-commands%3A%3Apwn\\u000a.ts');
  });

  it('clean makes controls and bidi visible and breaks ##[', () => {
    expect(clean(`a${ESC}[31m\u202e##[x`)).toBe('a\\u001b[31m\\u202e#\\u0023[x');
  });

  it('safeOutput keeps the tool\'s own colours and newlines, and neutralises a line-leading ::', () => {
    expect(safeOutput(`${ESC}[31mred${ESC}[39m\n::warning::x\n  ::y`, { colour: true })).toBe(`${ESC}[31mred${ESC}[39m\n\\u003a:warning::x\n  \\u003a:y`);
    expect(safeOutput(`${ESC}[31mred`)).toBe('\\u001b[31mred');
    expect(safeOutput('::error file=a::b', { workflowCommands: true })).toBe('::error file=a::b');
  });
});

describe('Markdown code spans and cells', () => {
  it('fences a code span with one more backtick than the longest run inside', () => {
    const span = code('/c``<img src=x onerror=alert(1)>``');
    expect(span).toBe('``` /c``<img src=x onerror=alert(1)>`` ```');
    expect(code('a`b')).toBe('`` a`b ``');
    expect(code('plain')).toBe('`plain`');
  });

  it('escapes pipes, HTML, mentions and bidi controls in cells', () => {
    expect(escapeText('hi @octocat | <b>\u202e')).toBe('hi &#64;octocat \\| &lt;b&gt;\\\\u202e');
    expect(code('@org/team\u202e|x')).toBe('`@org/team\\u202e\\|x`');
  });

  it('caps a cell and the whole summary stays small for a huge path', () => {
    expect([...escapeText('x'.repeat(1000))].length).toBe(MAX_CELL_CHARS);
    expect(escapeText('x'.repeat(1000)).endsWith('…')).toBe(true);
    const huge = `/${'a'.repeat(400_000)}`;
    const out = renderMarkdown(hostileResult(huge));
    expect(out.length).toBeLessThan(20_000);
  });
});
