/** A spend counter read in a try whose catch keeps the variable's passing default lets the paid call through. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

function server(read: string): string {
  return `import express from 'express';
import OpenAI from 'openai';
import { getSpentToday } from './spend.js';

const app = express();
const openai = new OpenAI();
const DAILY_CAP_USD = 25;

app.post('/api/ask', async (req, res) => {
${read}
  if (spent >= DAILY_CAP_USD) {
    return res.status(429).json({ error: 'Daily budget reached' });
  }
  const answer = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: [{ role: 'user', content: String(req.body.q).slice(0, 2000) }] });
  res.json(answer);
});
`;
}

async function failOpen(read: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aea-failopen-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/server.ts'), server(read));
  writeFileSync(path.join(dir, 'src/spend.ts'), 'export async function getSpentToday(): Promise<number> {\n  return 0;\n}\n');
  const result = await scan({ paths: [dir] });
  return result.findings.filter((f) => f.ruleId === 'spend-cap-fails-open').map((f) => `${f.location.file}:${f.location.line}`);
}

describe('spend counter read in a try', () => {
  it('fails open when the catch keeps the passing default', async () => {
    const read = `  let spent = 0;
  try {
    spent = await getSpentToday();
  } catch (err) {
    console.error('spend lookup failed', err);
  }`;
    expect(await failOpen(read)).toEqual(['src/server.ts:13']);
  });

  it('fails closed when the catch refuses', async () => {
    const read = `  let spent = 0;
  try {
    spent = await getSpentToday();
  } catch (err) {
    return res.status(503).json({ error: 'Try again later' });
  }`;
    expect(await failOpen(read)).toEqual([]);
  });

  it('fails closed when the catch sets a blocking value', async () => {
    const read = `  let spent = 0;
  try {
    spent = await getSpentToday();
  } catch {
    spent = Number.POSITIVE_INFINITY;
  }`;
    expect(await failOpen(read)).toEqual([]);
  });

  it('reading a missing counter as 0 is not failing open', async () => {
    expect(await failOpen(`  const spent = (await getSpentToday()) ?? 0;`)).toEqual([]);
  });
});
