import { describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model.js';
import { code, escapeText, renderMarkdown } from '../../src/report/markdown.js';
import { emptyResult, sampleResult } from './sample.js';

describe('renderMarkdown', () => {
  const out = renderMarkdown(sampleResult());

  it('summarises the scan', () => {
    expect(out.startsWith('## ai-endpoint-audit\n\n**3 AI endpoints** · **6 findings** (1 critical, 1 high, 3 medium, 1 low) · 57 files scanned · 2 problems\n')).toBe(true);
  });

  it('lists the endpoint inventory with protections', () => {
    expect(out).toContain(
      [
        '| Endpoint | Location | AI calls | Auth | Rate limit | Spend cap | Input bounds |',
        '|---|---|---|---|---|---|---|',
        '| `POST /api/chat` | `app/api/chat/route.ts:14` | `openai chat.completions.create (gpt-4o)` | ❌ | ⚠️ client-keyed | ❌ | ❌ |',
        '| `GET /api/summarize` | `server/routes/summarize.ts:20` | `anthropic messages.create` | ✅ | ✅ ip | ❌ | ✅ |',
        '| `POST /api/summarize` | `server/routes/summarize.ts:20` | `anthropic messages.create` | ✅ | ✅ ip | ✅ | ✅ |',
      ].join('\n'),
    );
  });

  it('lists the findings with links to the rule docs', () => {
    expect(out).toContain('| Severity | Rule | Location | Message |\n|---|---|---|---|\n| 🛑 critical | [no-auth](https://github.com/ai-endpoint-audit/ai-endpoint-audit/blob/main/rules/no-auth.md) | `app/api/chat/route.ts:14` |');
    expect(out).toContain("| 🟠 medium | [unbounded-input](https://github.com/ai-endpoint-audit/ai-endpoint-audit/blob/main/rules/unbounded-input.md) | `app/api/chat/route.ts:23` | 'messages' reaches the model without a length, size or role limit. |");
  });

  it('says so when there is nothing to report', () => {
    const empty = renderMarkdown(emptyResult());
    expect(empty).toContain('No HTTP endpoints that call paid AI models were found.');
    expect(empty).toContain('No findings.');
  });

  it('counts suppressed findings without listing them', () => {
    const result: ScanResult = sampleResult();
    result.findings = result.findings.map((f, i) => (i === 0 ? { ...f, suppressed: { kind: 'inSource', justification: 'demo' } } : f));
    const text = renderMarkdown(result);
    expect(text).toContain('**5 findings**');
    expect(text).toContain('1 suppressed');
  });

  it('text from the scanned code cannot break the table, add HTML or links', () => {
    expect(escapeText('a | b <script>alert(1)</script> [x](javascript:y) *bold*\nnext')).toBe(
      'a \\| b &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\[x\\]\\(javascript:y\\) \\*bold\\* next',
    );
    expect(code('POST /api/a|b')).toBe('`POST /api/a\\|b`');
    expect(code('x`y')).toBe('`` x`y ``');
    const result = sampleResult();
    result.endpoints[0] = { ...result.endpoints[0]!, path: '/api/x|y\n| injected |' };
    expect(renderMarkdown(result)).not.toMatch(/^\| injected \|/m);
  });
});
