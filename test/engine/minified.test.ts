/**
 * Which files the index skips as minified: code with very long lines. Literal text (a long prompt, a
 * template) is not code, so a hand-written route whose one long line is a string is analysed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { literalTextLength, looksMinified } from '../../src/parse/source-index.js';
import { scan } from '../../src/index.js';
import { makeProject, removeProjects } from '../robustness/project.js';

afterAll(removeProjects);

const LONG_PROMPT = 'You are a careful assistant for a cooking site. Answer only about recipes, and keep it short. '.repeat(60);

/** A Next.js route whose system prompt is a single line of more than 5,000 characters, written as `quote`. */
function routeWithPrompt(open: string, close = open): string {
  return `import OpenAI from 'openai';
const openai = new OpenAI();
const SYSTEM = ${open}${LONG_PROMPT}${close};
export async function POST(req: Request) {
  const { prompt } = await req.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: prompt }] });
  return Response.json({ text: completion.choices[0].message.content });
}
`;
}

/** Minified code: statements packed on one line. */
function bundle(statement: (i: number) => string, length = 20_000): string {
  const parts: string[] = [];
  for (let i = 0; parts.join('').length < length; i++) parts.push(statement(i));
  return parts.join('');
}

describe('looksMinified', () => {
  it('does not count a long string, template or template with expressions as a long line of code', () => {
    expect(looksMinified(routeWithPrompt("'"))).toBe(false);
    expect(looksMinified(routeWithPrompt('"'))).toBe(false);
    expect(looksMinified(routeWithPrompt('`'))).toBe(false);
    expect(looksMinified(routeWithPrompt('`${new Date().toISOString()} {', '} ${"x"}`'))).toBe(false);
  });

  it('still skips bundles, including ones with strings, regular expressions and templates in them', () => {
    expect(looksMinified(bundle((i) => `var a${i}=function(b){return b+${i}};`))).toBe(true);
    expect(looksMinified(bundle((i) => `a${i}=b.replace(/["'\`]/g,"");c("k${i}",{d:\`x\${e}y\`});`))).toBe(true);
  });

  it('counts literal text and no code', () => {
    expect(literalTextLength(`a = 'xy' + "z" + \`t\${b + 'u'}v\`; // 'not'\nc = /'/.test(d) / 2;`)).toBe(17);
  });
});

describe('a route whose one long line is a prompt', () => {
  it('is analysed, and its endpoint reported', async () => {
    const root = makeProject({ 'app/api/chat/route.ts': routeWithPrompt('`') }, false);
    const result = await scan({ paths: [root] });
    expect(result.errors).toEqual([]);
    expect(result.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /api/chat']);
  });
});
