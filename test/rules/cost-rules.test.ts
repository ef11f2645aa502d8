/**
 * The cost rules on tiny projects, one behaviour each: spend-cap-fails-open, client-controlled-params,
 * no-output-cap and no-usage-tracking, with the cases each rule must leave alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { lineOf, removeProjects, reported, scanProject } from './project.js';

afterAll(removeProjects);

const ROUTE = 'app/api/run/route.ts';

/** A Next.js App Router POST handler: `imports` at the top, `body` inside the handler after reading the JSON body. */
function route(imports: string[], body: string[], extra: string[] = []): string {
  return [...imports, '', ...extra, '', 'export async function POST(req: Request) {', '  const body = await req.json();', ...body, '}', ''].join('\n');
}

const OPENAI = [`import OpenAI from 'openai';`, `import { Redis } from '@upstash/redis';`];
const CLIENTS = ['const openai = new OpenAI();', 'const redis = Redis.fromEnv();', 'const LIMIT = 500;'];
const CHAT_CALL = [
  '  const completion = await openai.chat.completions.create({',
  "    model: 'gpt-4o-mini',",
  '    max_tokens: 300,',
  '    messages: [{ role: "user", content: String(body.prompt).slice(0, 2000) }],',
  '  });',
];
const ANSWER = '  return Response.json({ text: completion.choices[0].message.content, tokens: completion.usage?.total_tokens });';

describe('spend-cap-fails-open', () => {
  it('does not treat a missing counter read as 0 as failing open', async () => {
    const source = route(OPENAI, [
      "  const spent = Number((await redis.get<number>('spend:today')) ?? 0);",
      '  if (spent >= LIMIT) {',
      "    return Response.json({ error: 'Daily budget reached' }, { status: 402 });",
      '  }',
      ...CHAT_CALL,
      ANSWER,
    ], CLIENTS);
    const result = await scanProject({ [ROUTE]: source });
    expect(reported(result, 'spend-cap-fails-open')).toEqual([]);
    expect(reported(result, 'no-spend-cap')).toEqual([]);
  });

  it('is closed when the paid call sits in the same try block as the check', async () => {
    const source = route(OPENAI, [
      '  try {',
      "    const spent = Number((await redis.get<number>('spend:today')) ?? 0);",
      '    if (spent >= LIMIT) {',
      "      return Response.json({ error: 'Daily budget reached' }, { status: 402 });",
      '    }',
      ...CHAT_CALL.map((l) => `  ${l}`),
      `  ${ANSWER}`,
      '  } catch (err) {',
      "    console.error('run failed', err);",
      '  }',
      "  return Response.json({ error: 'Something went wrong' }, { status: 502 });",
    ], CLIENTS);
    expect(reported(await scanProject({ [ROUTE]: source }), 'spend-cap-fails-open')).toEqual([]);
  });

  it('reports a helper whose catch answers "within budget", at that catch', async () => {
    const helper = [
      "import { Redis } from '@upstash/redis';",
      '',
      'const redis = Redis.fromEnv();',
      '',
      'export async function withinBudget(): Promise<boolean> {',
      '  try {',
      "    return Number((await redis.get<number>('spend:today')) ?? 0) < 500;",
      '  } catch {',
      '    return true;',
      '  }',
      '}',
      '',
    ].join('\n');
    const source = route([`import OpenAI from 'openai';`, `import { withinBudget } from '@/lib/budget';`], [
      '  if (!(await withinBudget())) {',
      "    return Response.json({ error: 'Daily budget reached' }, { status: 402 });",
      '  }',
      ...CHAT_CALL,
      ANSWER,
    ], ['const openai = new OpenAI();']);
    const tsconfig = JSON.stringify({ compilerOptions: { paths: { '@/*': ['./*'] } } });
    const result = await scanProject({ [ROUTE]: source, 'lib/budget.ts': helper, 'tsconfig.json': tsconfig });
    expect(reported(result, 'spend-cap-fails-open')).toEqual([`lib/budget.ts:${lineOf(helper, '} catch')}`]);
  });
});

describe('no-rate-limit', () => {
  it('does not take a credit decrement that refuses on its updated-row count for a rate limit', async () => {
    const prisma = [`import { PrismaClient } from '@prisma/client';`, ...OPENAI];
    const source = route(prisma, [
      '  const { count } = await db.user.updateMany({ where: { id: body.userId, credits: { gte: 1 } }, data: { credits: { decrement: 1 } } });',
      '  if (count <= 0) {',
      "    return Response.json({ error: 'Not enough credits' }, { status: 400 });",
      '  }',
      ...CHAT_CALL,
      ANSWER,
    ], [...CLIENTS, 'const db = new PrismaClient();']);
    const result = await scanProject({ [ROUTE]: source });
    expect(reported(result, 'no-rate-limit')).toHaveLength(1);
    expect(reported(result, 'no-spend-cap')).toEqual([]);

    const counted = source.replace("'Not enough credits' }, { status: 400 }", "'Too many requests' }, { status: 429 }");
    expect(reported(await scanProject({ [ROUTE]: counted }), 'no-rate-limit')).toEqual([]);
  });
});

describe('client-controlled-params', () => {
  it("reports a provider model built from the client's choice with the AI SDK", async () => {
    const source = route([`import { openai } from '@ai-sdk/openai';`, `import { generateText } from 'ai';`], [
      '  const { text } = await generateText({',
      '    model: openai(body.model),',
      '    prompt: String(body.prompt).slice(0, 2000),',
      '    maxOutputTokens: 300,',
      '  });',
      '  return Response.json({ text });',
    ]);
    expect(reported(await scanProject({ [ROUTE]: source }), 'client-controlled-params')).toEqual([`${ROUTE}:${lineOf(source, 'model: openai(')}`]);
  });

  it('reports a model chosen by the client where the model is configured, not in the call', async () => {
    const source = route([`import { GoogleGenerativeAI } from '@google/generative-ai';`], [
      '  const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);',
      '  const model = genAI.getGenerativeModel({ model: body.settings.model, generationConfig: { maxOutputTokens: 300 } });',
      '  const chat = model.startChat({ history: [] });',
      '  const result = await chat.sendMessage(String(body.prompt).slice(0, 2000));',
      '  return Response.json({ text: result.response.text() });',
    ]);
    expect(reported(await scanProject({ [ROUTE]: source }), 'client-controlled-params')).toEqual([`${ROUTE}:${lineOf(source, 'model: body.settings.model')}`]);

    const fixed = source.replace('model: body.settings.model', "model: 'gemini-1.5-flash'");
    expect(reported(await scanProject({ [ROUTE]: fixed }), 'client-controlled-params')).toEqual([]);
  });

  it('reports a || default and the first such property only', async () => {
    const source = route(OPENAI, [
      '  const completion = await openai.chat.completions.create({',
      "    model: body.model || 'gpt-4o-mini',",
      '    max_tokens: body.maxTokens,',
      '    messages: [{ role: "user", content: String(body.prompt).slice(0, 2000) }],',
      '  });',
      ANSWER,
    ], CLIENTS);
    expect(reported(await scanProject({ [ROUTE]: source }), 'client-controlled-params')).toEqual([`${ROUTE}:${lineOf(source, 'model: body.model')}`]);
  });

  it('reports the number of images chosen by the client', async () => {
    const source = route(OPENAI, [
      '  const image = await openai.images.generate({',
      "    model: 'dall-e-3',",
      '    prompt: String(body.prompt).slice(0, 1000),',
      '    n: body.count,',
      '  });',
      '  return Response.json({ url: image.data?.[0]?.url });',
    ], CLIENTS);
    expect(reported(await scanProject({ [ROUTE]: source }), 'client-controlled-params')).toEqual([`${ROUTE}:${lineOf(source, 'n: body.count')}`]);
  });

  it('accepts a clamped value and a capped zod number, and reports an uncapped one', async () => {
    const schema = [`import { z } from 'zod';`, ...OPENAI];
    const capped = route(schema, [
      '  const { maxTokens, prompt } = Input.parse(body);',
      '  const completion = await openai.chat.completions.create({',
      "    model: 'gpt-4o-mini',",
      '    max_tokens: maxTokens,',
      '    n: Math.min(Number(body.n) || 1, 3),',
      '    messages: [{ role: "user", content: prompt }],',
      '  });',
      ANSWER,
    ], [...CLIENTS, 'const Input = z.object({ prompt: z.string().max(2000), maxTokens: z.number().int().positive().max(1000) });']);
    expect(reported(await scanProject({ [ROUTE]: capped }), 'client-controlled-params')).toEqual([]);

    const uncapped = capped.replace('maxTokens: z.number().int().positive().max(1000)', 'maxTokens: z.number().int().positive()');
    expect(reported(await scanProject({ [ROUTE]: uncapped }), 'client-controlled-params')).toEqual([`${ROUTE}:${lineOf(uncapped, 'max_tokens: maxTokens')}`]);
  });
});

describe('no-output-cap', () => {
  it('reports an AI SDK call without maxOutputTokens, at the line where the call starts', async () => {
    const source = route([`import { openai } from '@ai-sdk/openai';`, `import { generateText } from 'ai';`], [
      '  const { text, usage } = await generateText({',
      "    model: openai('gpt-4o-mini'),",
      '    prompt: String(body.prompt).slice(0, 2000),',
      '  });',
      '  return Response.json({ text, tokens: usage.totalTokens });',
    ]);
    expect(reported(await scanProject({ [ROUTE]: source }), 'no-output-cap')).toEqual([`${ROUTE}:${lineOf(source, 'await generateText(')}`]);
  });

  it('never reports Anthropic, embeddings or images', async () => {
    const anthropic = route([`import Anthropic from '@anthropic-ai/sdk';`], [
      '  const message = await anthropic.messages.create({',
      "    model: 'claude-3-5-haiku-latest',",
      '    max_tokens: 512,',
      '    messages: [{ role: "user", content: String(body.prompt).slice(0, 2000) }],',
      '  });',
      '  return Response.json({ message, tokens: message.usage.output_tokens });',
    ], ['const anthropic = new Anthropic();']);
    const embeddings = route(OPENAI, [
      "  const res = await openai.embeddings.create({ model: 'text-embedding-3-small', input: String(body.text).slice(0, 8000) });",
      '  return Response.json({ vector: res.data[0].embedding, tokens: res.usage.total_tokens });',
    ], CLIENTS);
    const images = route(OPENAI, [
      "  const image = await openai.images.generate({ model: 'dall-e-3', prompt: String(body.prompt).slice(0, 1000), n: 1 });",
      '  return Response.json({ url: image.data?.[0]?.url });',
    ], CLIENTS);
    const result = await scanProject({ 'app/api/a/route.ts': anthropic, 'app/api/b/route.ts': embeddings, 'app/api/c/route.ts': images });
    expect(result.endpoints).toHaveLength(3);
    expect(reported(result, 'no-output-cap')).toEqual([]);
  });

  it('reads a cap nested in the config of @google/genai', async () => {
    const capped = route([`import { GoogleGenAI } from '@google/genai';`], [
      '  const response = await ai.models.generateContent({',
      "    model: 'gemini-2.5-flash',",
      '    contents: String(body.text).slice(0, 4000),',
      '    config: { maxOutputTokens: 512 },',
      '  });',
      '  return Response.json({ text: response.text, tokens: response.usageMetadata?.totalTokenCount });',
    ], ['const ai = new GoogleGenAI({});']);
    expect(reported(await scanProject({ [ROUTE]: capped }), 'no-output-cap')).toEqual([]);
    const uncapped = capped.replace('    config: { maxOutputTokens: 512 },\n', '    config: { temperature: 0.2 },\n');
    expect(reported(await scanProject({ [ROUTE]: uncapped }), 'no-output-cap')).toEqual([`${ROUTE}:${lineOf(uncapped, 'await ai.models.generateContent(')}`]);
  });
});

describe('no-usage-tracking', () => {
  const noUsage = (name: string) =>
    route([`import OpenAI from 'openai';`], [...CHAT_CALL, `  return Response.json({ ${name}: completion.choices[0].message.content });`], ['const openai = new OpenAI();']);

  it('reports once for the project, at the first paid call by file then line', async () => {
    const result = await scanProject({ 'app/api/b/route.ts': noUsage('b'), 'app/api/a/route.ts': noUsage('a') });
    expect(reported(result, 'no-usage-tracking')).toEqual([`app/api/a/route.ts:${lineOf(noUsage('a'), 'chat.completions.create(')}`]);
  });

  it('counts usage read in an onFinish callback', async () => {
    const onFinish = route([`import { openai } from '@ai-sdk/openai';`, `import { streamText } from 'ai';`], [
      '  const result = streamText({',
      "    model: openai('gpt-4o-mini'),",
      '    prompt: String(body.prompt).slice(0, 2000),',
      '    maxOutputTokens: 300,',
      '    onFinish: ({ usage }) => console.info("tokens", usage.totalTokens),',
      '  });',
      '  return result.toTextStreamResponse();',
    ]);
    expect(reported(await scanProject({ [ROUTE]: onFinish }), 'no-usage-tracking')).toEqual([]);
  });

  it('counts usage read in a helper that gets its client from a local module', async () => {
    const client = `import OpenAI from 'openai';\n\nexport const openai = new OpenAI();\n`;
    const helper = [
      "import { openai } from './openai';",
      '',
      'export async function answer(prompt: string) {',
      ...CHAT_CALL.map((l) => l.replace('String(body.prompt)', 'prompt')),
      '  return { text: completion.choices[0].message.content, tokens: completion.usage?.total_tokens ?? 0 };',
      '}',
      '',
    ].join('\n');
    const source = route([`import { answer } from '../../../lib/answer';`], ['  return Response.json(await answer(String(body.prompt)));']);
    const result = await scanProject({ [ROUTE]: source, 'lib/openai.ts': client, 'lib/answer.ts': helper });
    expect(result.endpoints).toHaveLength(1);
    expect(reported(result, 'no-usage-tracking')).toEqual([]);
  });

  it('says nothing when no endpoint reaches a paid call', async () => {
    const script = `import OpenAI from 'openai';\n\nconst openai = new OpenAI();\nconst res = await openai.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });\nconsole.log(res.choices[0].message.content);\n`;
    expect(reported(await scanProject({ 'scripts/smoke.ts': script }), 'no-usage-tracking')).toEqual([]);
  });
});
