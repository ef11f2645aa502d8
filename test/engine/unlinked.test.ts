/**
 * Paid call sites that no endpoint reaches are listed, not left out: the JSON report's `unlinkedAiCalls` and a
 * count in the text summary. Scripts, tests and calls an endpoint reaches are not listed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/index.js';
import { toJsonReport } from '../../src/report/json.js';
import { removeProjects, scanProject } from '../rules/project.js';

afterAll(removeProjects);

const call = (input: string) => `openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: ${input} }] })`;

describe('unlinked paid calls', () => {
  it('lists application calls no endpoint reaches, and no script, test or reached call', async () => {
    const result = await scanProject({
      'src/lib/openai.ts': "import OpenAI from 'openai';\nexport const openai = new OpenAI();\n",
      'src/lib/tagger.ts': `import { openai } from './openai';\nexport async function tag(text: string) {\n  return ${call('text')};\n}\n`,
      'src/jobs/digest.ts': `import { openai } from '../lib/openai';\nexport async function digest(text: string) {\n  return ${call('text')};\n}\n`,
      'scripts/backfill.ts': `import { openai } from '../src/lib/openai';\nawait ${call("'hello'")};\n`,
      'src/lib/tagger.test.ts': `import { openai } from './openai';\nawait ${call("'x'")};\n`,
      'src/server.ts':
        "import express from 'express';\nimport { tag } from './lib/tagger';\nconst app = express();\napp.post('/api/tag', async (req, res) => { res.json(await tag(req.body.text)); });\napp.listen(3000);\n",
    });
    expect(result.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /api/tag']);
    const json = toJsonReport(result);
    expect(json.unlinkedAiCalls.map((c) => `${c.file}:${c.line} ${c.api}`)).toEqual(['src/jobs/digest.ts:3 chat.completions.create']);
    expect(renderText(result, { color: false })).toContain('1 paid AI call not linked to an endpoint');
  });

  it('lists paid calls of a project whose routes the scanner does not find', async () => {
    const result = await scanProject({
      'src/ask.ts': `import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport const ask = (q: string) => ${call('q')};\n`,
    });
    expect(result.endpoints).toEqual([]);
    expect(toJsonReport(result).unlinkedAiCalls.map((c) => `${c.file}:${c.line}`)).toEqual(['src/ask.ts:3']);
  });
});
