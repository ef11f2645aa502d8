/**
 * Which files can lead to a paid call, from their text and imports alone; and what the analysis skips
 * (or must not skip) because of it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ImportGraph } from '../../src/parse/import-graph.js';
import { mentionsAi } from '../../src/pipeline/build-index.js';
import { PROVIDER_HOSTS } from '../../src/providers/hosts.js';
import { scan } from '../../src/pipeline/scan.js';
import { makeProject, removeProjects } from '../robustness/project.js';

afterAll(removeProjects);

describe('AI markers', () => {
  it('cover every provider host the HTTP provider recognises, so no file calling one is skipped', () => {
    for (const provider of PROVIDER_HOSTS) {
      for (const host of provider.hosts) {
        // A region or resource name in a host is interpolated, as code spells it.
        const url = host.includes('*') ? `\`https://${host.replace('*', '${process.env.REGION}')}/v1\`` : `'https://${host}/v1'`;
        expect(mentionsAi(url), `${provider.provider} ${String(host)}`).toBe(true);
      }
    }
    expect(mentionsAi("fetch('https://api.example.com/v1/chat')")).toBe(false);
  });
});

describe('ImportGraph', () => {
  const files: Record<string, string> = {
    '/p/route.ts': "import { ask } from './lib/ai';\nimport { format } from './lib/format';\n",
    '/p/lib/ai.ts': "export { ask } from './core';\n",
    '/p/lib/core.ts': "import OpenAI from 'openai';\nexport const ask = () => new OpenAI();\n",
    '/p/lib/format.ts': "import { pad } from './pad';\nexport const format = (s: string) => pad(s);\n",
    '/p/lib/pad.ts': "import { format } from './format';\nexport const pad = (s: string) => s;\n",
    '/p/lib/plugin.ts': 'export const load = (name: string) => import(`./plugins/${name}`);\n',
  };
  const resolved: string[] = [];
  const graph = new ImportGraph(
    {
      textOf: (file) => files[file],
      resolveImport: (specifier, from) => {
        resolved.push(specifier);
        const target = `${from.slice(0, from.lastIndexOf('/'))}/${specifier.replace(/^\.\//, '')}.ts`;
        return files[target] !== undefined ? target : undefined;
      },
    },
    (_file, text) => mentionsAi(text),
  );

  it('follows imports and re-exports to a file that names an AI SDK', () => {
    expect(graph.reaches('/p/lib/ai.ts')).toBe(true);
    expect(graph.reaches('/p/route.ts')).toBe(true);
  });

  it('answers no for a closure without one, through an import cycle, and remembers it', () => {
    expect(graph.reaches('/p/lib/format.ts')).toBe(false);
    const before = resolved.length;
    expect(graph.reaches('/p/lib/pad.ts')).toBe(false);
    expect(resolved.length).toBe(before);
  });

  it('assumes a computed import may lead anywhere', () => {
    expect(graph.reaches('/p/lib/plugin.ts')).toBe(true);
  });
});

describe('what reach skips', () => {
  it('follows a helper without AI imports when the route hands it a client', async () => {
    const root = makeProject({
      'app/api/summary/route.ts': `import OpenAI from 'openai';\nimport { complete } from '@/lib/complete';\n\nconst openai = new OpenAI();\n\nexport async function POST(req: Request) {\n  const { text } = await req.json();\n  return Response.json(await complete(openai, text));\n}\n`,
      'lib/complete.ts': `export async function complete(client: any, text: string) {\n  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: text }] });\n}\n`,
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    });
    const result = await scan({ paths: [root] });
    const summary = result.endpoints.find((e) => e.path === '/api/summary');
    expect(summary?.aiCalls.map((c) => `${c.provider} ${c.location.file}:${c.location.line}`)).toEqual(['openai lib/complete.ts:2']);
  });

  it('parses no more of an AI-free utilities barrel than the routes call into', async () => {
    const utilities: Record<string, string> = {};
    for (let i = 0; i < 50; i++) utilities[`packages/utils/u${i}.ts`] = `export const util${i} = (s: string) => s.trim();\n`;
    utilities['packages/utils/index.ts'] = Array.from({ length: 50 }, (_, i) => `export * from './u${i}';`).join('\n');
    const root = makeProject({
      ...utilities,
      'app/api/tidy/route.ts': `import { util7 } from '@/packages/utils';\n\nexport async function POST(req: Request) {\n  const { text } = await req.json();\n  return Response.json({ text: util7(text) });\n}\n`,
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    });
    const result = await scan({ paths: [root] });
    expect(result.endpoints.map((e) => e.path)).toEqual(['/api/chat']);
    // Only the bundled AI route is parsed: this route's imports reach no AI SDK, so neither it nor the barrel
    // and its fifty files are.
    expect(result.stats.analyzedFiles).toBe(1);
  });
});
