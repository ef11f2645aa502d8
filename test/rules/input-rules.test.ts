/**
 * unbounded-input on tiny projects, one input shape each, with the bounded variant it must leave alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { lineOf, removeProjects, reported, scanProject } from './project.js';

afterAll(removeProjects);

const ROUTE = 'app/api/run/route.ts';
const OPENAI = [`import OpenAI from 'openai';`, '', 'const openai = new OpenAI();', ''];

/** A Next.js App Router handler whose paid call sends `content` as the user message. */
function route(method: string, body: string[], content: string): string {
  return [
    ...OPENAI,
    `export async function ${method}(req: Request) {`,
    ...body,
    '  const completion = await openai.chat.completions.create({',
    "    model: 'gpt-4o-mini',",
    '    max_tokens: 300,',
    `    messages: [{ role: 'user', content: ${content} }],`,
    '  });',
    '  return Response.json({ text: completion.choices[0].message.content });',
    '}',
    '',
  ].join('\n');
}

describe('unbounded-input', () => {
  it('reads a query parameter through new URL(req.url).searchParams', async () => {
    const source = route('GET', [
      '  const url = new URL(req.url);',
      "  const topic = url.searchParams.get('topic') ?? '';",
    ], '`Write about ${topic}`');
    expect(reported(await scanProject({ [ROUTE]: source }), 'unbounded-input')).toEqual([`${ROUTE}:${lineOf(source, "role: 'user'")}`]);

    const capped = source.replace("url.searchParams.get('topic') ?? ''", "(url.searchParams.get('topic') ?? '').slice(0, 200)");
    expect(reported(await scanProject({ [ROUTE]: capped }), 'unbounded-input')).toEqual([]);
  });

  it('does not take a refusal of empty input for a size cap', async () => {
    const source = route('POST', [
      '  const { ingredients } = (await req.json()) as { ingredients: string[] };',
      '  if (!ingredients || ingredients.length < 1) {',
      "    return Response.json({ error: 'no ingredients' }, { status: 400 });",
      '  }',
    ], "ingredients.join(', ')");
    expect(reported(await scanProject({ [ROUTE]: source }), 'unbounded-input')).toEqual([`${ROUTE}:${lineOf(source, "role: 'user'")}`]);

    const capped = source.replace('ingredients.length < 1', 'ingredients.length < 1 || ingredients.join().length > 500');
    expect(reported(await scanProject({ [ROUTE]: capped }), 'unbounded-input')).toEqual([]);
  });

  it('follows messages pushed onto an array, also one kept at module level', async () => {
    const source = [
      ...OPENAI,
      "const history: { role: 'user' | 'assistant'; content: string }[] = [];",
      '',
      'export async function POST(req: Request) {',
      '  const { message } = await req.json();',
      "  history.push({ role: 'user', content: String(message) });",
      "  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: history });",
      '  return Response.json({ text: completion.choices[0].message.content });',
      '}',
      '',
    ].join('\n');
    expect(reported(await scanProject({ [ROUTE]: source }), 'unbounded-input')).toEqual([`${ROUTE}:${lineOf(source, 'messages: history')}`]);

    const capped = source.replace('String(message)', 'String(message).slice(0, 2000)');
    const growing = await scanProject({ [ROUTE]: capped });
    expect(growing.endpoints[0].facts.unboundedInputs.map((u) => u.missing)).toEqual([['array-length']]);

    const trimmed = capped.replace('  const completion', '  if (history.length > 20) history.splice(0, history.length - 20);\n  const completion');
    expect(reported(await scanProject({ [ROUTE]: trimmed }), 'unbounded-input')).toEqual([]);
  });

  it('follows a variable that starts empty and is assigned later', async () => {
    const source = route('POST', [
      '  const body = await req.json();',
      "  let text = '';",
      "  if (body.kind === 'note') text = body.note;",
    ], 'text');
    expect(reported(await scanProject({ [ROUTE]: source }), 'unbounded-input')).toEqual([`${ROUTE}:${lineOf(source, "role: 'user'")}`]);

    const capped = source.replace('text = body.note;', 'text = String(body.note).slice(0, 2000);');
    expect(reported(await scanProject({ [ROUTE]: capped }), 'unbounded-input')).toEqual([]);
  });

  it("reads the last message's content from a list the handler builds", async () => {
    const source = route('POST', [
      '  const body = await req.json();',
      "  const turns = [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: body.question }];",
    ], 'turns[turns.length - 1].content');
    expect(reported(await scanProject({ [ROUTE]: source }), 'unbounded-input')).toEqual([`${ROUTE}:${lineOf(source, 'content: turns[')}`]);

    const capped = source.replace('content: body.question', 'content: String(body.question).slice(0, 2000)');
    expect(reported(await scanProject({ [ROUTE]: capped }), 'unbounded-input')).toEqual([]);
  });

  it('reads what the handlers of a ts-pattern match return', async () => {
    const source = [`import { match } from 'ts-pattern';`, ...route('POST', [
      '  const { mode, text } = await req.json();',
      '  const prompt = match(mode)',
      "    .with('shorten', () => `Shorten this: ${text}`)",
      "    .with('fix', () => `Fix the spelling: ${text}`)",
      "    .otherwise(() => 'Say hello.');",
    ], 'prompt').split('\n')].join('\n');
    expect(reported(await scanProject({ [ROUTE]: source }), 'unbounded-input')).toEqual([`${ROUTE}:${lineOf(source, 'content: prompt')}`]);

    const capped = source.replace('const { mode, text } = await req.json();', 'const { mode, text: raw } = await req.json();\n  const text = String(raw).slice(0, 2000);');
    expect(reported(await scanProject({ [ROUTE]: capped }), 'unbounded-input')).toEqual([]);
  });

  it('reads the chunks of a text splitter, collected in a loop, as the text they split', async () => {
    const source = [
      `import OpenAI from 'openai';`,
      `import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';`,
      '',
      'const openai = new OpenAI();',
      '',
      'async function chunksOf(text: string) {',
      '  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 100 });',
      '  const docs = await splitter.createDocuments([text]);',
      '  const chunks: string[] = [];',
      '  for (const doc of docs) chunks.push(doc.pageContent);',
      '  return chunks;',
      '}',
      '',
      'export async function POST(req: Request) {',
      '  const { text } = await req.json();',
      '  const chunks = await chunksOf(String(text));',
      "  const embedded = await openai.embeddings.create({ model: 'text-embedding-3-small', input: chunks });",
      '  return Response.json({ count: embedded.data.length });',
      '}',
      '',
    ].join('\n');
    expect(reported(await scanProject({ [ROUTE]: source }), 'unbounded-input')).toEqual([`${ROUTE}:${lineOf(source, 'input: chunks')}`]);

    const capped = source.replace('chunksOf(String(text))', 'chunksOf(String(text).slice(0, 20000))');
    expect(reported(await scanProject({ [ROUTE]: capped }), 'unbounded-input')).toEqual([]);
  });

  it("reads a helper's parameter as the argument the caller passed, truncation included", async () => {
    const source = [
      ...OPENAI,
      'async function answer(question: string) {',
      "  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: [{ role: 'user', content: question }] });",
      '  return completion.choices[0].message.content;',
      '}',
      '',
      'export async function POST(req: Request) {',
      '  const { question } = await req.json();',
      '  return Response.json({ text: await answer(String(question).slice(0, 2000)) });',
      '}',
      '',
    ].join('\n');
    expect(reported(await scanProject({ [ROUTE]: source }), 'unbounded-input')).toEqual([]);

    const uncapped = source.replace('String(question).slice(0, 2000)', 'String(question)');
    expect(reported(await scanProject({ [ROUTE]: uncapped }), 'unbounded-input')).toEqual([`${ROUTE}:${lineOf(uncapped, "role: 'user'")}`]);
  });
});
