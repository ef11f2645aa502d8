/**
 * exposed-api-key: provider keys hard-coded in source, read from browser-exposed env vars, or handed to an SDK
 * client that runs in the browser. Reported anywhere in the project (no route needed), once per occurrence;
 * placeholders, server-only env vars and public env vars of other services are not findings.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { lineOf, removeProjects, reported, scanProject } from './project.js';

afterAll(removeProjects);

const RULE = 'exposed-api-key';

// Random-looking key shapes, assembled here so that no complete key sits in this file.
const OPENAI_KEY = 'sk-proj-' + 'Qm7ZtR2vLx9Kp4Wc' + 'N8hYd3Jf6BsE1uGa' + 'T5oVi0MqXe7RkPzL';
const ANTHROPIC_KEY = 'sk-ant-api03-' + 'bH4nW8qLz2RcV7tK' + 'yP1mD9sJf5GxE3aU' + 'o6iN0wQe8ZrT2vYk' + '-Lc4hM7pBd1SgF9j';
const GOOGLE_KEY = 'AIza' + 'SyD4k9Qm2Lx7Rt' + 'P1vNc8Wb3Zh6Jf0Gs5Yeu';

async function exposures(files: Record<string, string>): Promise<string[]> {
  return reported(await scanProject(files), RULE);
}

describe('hard-coded keys', () => {
  it('has well-formed test keys', () => {
    expect(OPENAI_KEY).toHaveLength('sk-proj-'.length + 48);
    expect(GOOGLE_KEY).toHaveLength(39);
  });

  it('reports a realistic OpenAI, Anthropic or Google key in a script that no route reaches', async () => {
    for (const [key, sdk, name] of [
      [OPENAI_KEY, 'openai', 'OpenAI'],
      [ANTHROPIC_KEY, '@anthropic-ai/sdk', 'Anthropic'],
    ] as const) {
      const script = `import ${name} from '${sdk}';\n\nconst client = new ${name}({ apiKey: '${key}' });\n\nexport default client;\n`;
      expect(await exposures({ 'scripts/backfill.ts': script })).toEqual([`scripts/backfill.ts:${lineOf(script, key)}`]);
    }
    const gemini = `import { GoogleGenerativeAI } from '@google/generative-ai';\n\nexport const genAI = new GoogleGenerativeAI(\n  '${GOOGLE_KEY}',\n);\n`;
    expect(await exposures({ 'lib/gemini.js': gemini })).toEqual([`lib/gemini.js:${lineOf(gemini, GOOGLE_KEY)}`]);
  });

  it('reports a key inside a header string, and each occurrence separately', async () => {
    const source = [
      `export const headers = { Authorization: 'Bearer ${OPENAI_KEY}' };`,
      '',
      `export const backupKey = "${ANTHROPIC_KEY}";`,
      '',
    ].join('\n');
    expect(await exposures({ 'src/config.ts': source })).toEqual(['src/config.ts:1', 'src/config.ts:3']);
  });

  it('points at the literal', async () => {
    const source = `import OpenAI from 'openai';\nexport const openai = new OpenAI({ apiKey: '${OPENAI_KEY}' });\n`;
    const result = await scanProject({ 'src/openai.ts': source });
    const [finding] = result.findings.filter((f) => f.ruleId === RULE);
    expect(finding.location).toMatchObject({ file: 'src/openai.ts', line: 2, column: source.split('\n')[1].indexOf(`'sk-`) + 1 });
    expect(finding.severity).toBe('critical');
  });

  it('does not report placeholders, test keys or low-entropy strings', async () => {
    const placeholders = [
      'sk-...',
      'sk-your-key',
      'sk-test',
      'sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'sk-proj-your-openai-api-key-goes-here-000000000000',
      'sk-ant-api03-your-key-here-replace-me-before-deploying',
      'sk-test-51HqLyjWDarjtT1zdp7dcXn0nRqQ8VfB2k4cPbC6Q3xY',
      'AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'sk-proj-abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv',
    ];
    const files = Object.fromEntries(
      placeholders.map((key, i) => [`src/example${i}.ts`, `import OpenAI from 'openai';\nexport const client = new OpenAI({ apiKey: '${key}' });\n`]),
    );
    files['README.ts'] = `// Set OPENAI_API_KEY=sk-... in .env.local\nexport const docs = 'OPENAI_API_KEY=sk-your-key-here';\n`;
    expect(await exposures(files)).toEqual([]);
  });
});

describe('browser-exposed environment variables', () => {
  const cases: { prefix: string; file: string; source: string; needle: string }[] = [
    {
      prefix: 'NEXT_PUBLIC_',
      file: 'components/Chat.tsx',
      source: `export const key = process.env.NEXT_PUBLIC_OPENAI_API_KEY;\n`,
      needle: 'NEXT_PUBLIC_OPENAI_API_KEY',
    },
    {
      prefix: 'VITE_',
      file: 'src/lib/ai.ts',
      source: `const endpoint = 'https://api.openai.com/v1/chat/completions';\n\nexport function authHeader() {\n  return \`Bearer \${import.meta.env.VITE_OPENAI_KEY}\`;\n}\nexport { endpoint };\n`,
      needle: 'VITE_OPENAI_KEY',
    },
    {
      prefix: 'REACT_APP_',
      file: 'src/api.js',
      source: `export const apiKey = process.env.REACT_APP_OPENAI_API_KEY;\n`,
      needle: 'REACT_APP_OPENAI_API_KEY',
    },
    {
      prefix: 'EXPO_PUBLIC_',
      file: 'app/(tabs)/assistant.tsx',
      source: `const headers = {\n  'x-api-key': process.env.EXPO_PUBLIC_ANTHROPIC_API_KEY!,\n};\nexport default headers;\n`,
      needle: 'EXPO_PUBLIC_ANTHROPIC_API_KEY',
    },
    {
      prefix: 'PUBLIC_ (import.meta.env)',
      file: 'src/components/Ask.ts',
      source: `export const geminiKey = import.meta.env.PUBLIC_GEMINI_API_KEY;\n`,
      needle: 'PUBLIC_GEMINI_API_KEY',
    },
  ];

  for (const { prefix, file, source, needle } of cases) {
    it(`reports an AI key read from ${prefix}`, async () => {
      expect(await exposures({ [file]: source })).toEqual([`${file}:${lineOf(source, needle)}`]);
    });
  }

  it("reports an AI key imported from SvelteKit's $env/static/public", async () => {
    const source = `import { PUBLIC_OPENAI_API_KEY } from '$env/static/public';\n\nexport const key = PUBLIC_OPENAI_API_KEY;\n`;
    expect(await exposures({ 'src/lib/openai.ts': source })).toEqual(['src/lib/openai.ts:1']);
  });

  it('points at the process.env expression', async () => {
    const source = `'use client';\n\nconst key = process.env.NEXT_PUBLIC_OPENAI_API_KEY;\nexport default key;\n`;
    const result = await scanProject({ 'components/Key.tsx': source });
    const [finding] = result.findings.filter((f) => f.ruleId === RULE);
    expect(finding.location).toMatchObject({ line: 3, column: 13, endColumn: 13 + 'process.env.NEXT_PUBLIC_OPENAI_API_KEY'.length });
  });

  it('does not report server-only env vars or public env vars of other services', async () => {
    const server = `import OpenAI from 'openai';\n\nexport const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\nexport const anthropicKey = process.env.ANTHROPIC_API_KEY;\n`;
    const browser = [
      `'use client';`,
      `import { createBrowserClient } from '@supabase/ssr';`,
      `import posthog from 'posthog-js';`,
      ``,
      `export const supabase = createBrowserClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!);`,
      `posthog.init(process.env.NEXT_PUBLIC_POSTHOG_KEY!, { api_host: 'https://eu.i.posthog.com' });`,
      `export const stripeKey = process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;`,
      `export const apiUrl = process.env.NEXT_PUBLIC_API_URL;`,
      ``,
    ].join('\n');
    const vite = `export const apiUrl = import.meta.env.VITE_API_URL;\nexport const mapToken = import.meta.env.VITE_MAPBOX_TOKEN;\n`;
    expect(await exposures({ 'lib/openai.ts': server, 'components/Providers.tsx': browser, 'src/env.ts': vite })).toEqual([]);
  });
});

describe('names that only look like AI keys', () => {
  it('does not report the key of a service whose name starts with AI (Airtable)', async () => {
    const source = `'use client';\n\nexport const airtableKey = process.env.NEXT_PUBLIC_AIRTABLE_API_KEY;\n`;
    expect(await exposures({ 'components/Table.tsx': source })).toEqual([]);
  });
});

describe('SDK clients built for the browser', () => {
  it('reports a client built with dangerouslyAllowBrowser: true, at the construction', async () => {
    const source = `import OpenAI from 'openai';\n\nexport function browserClient(apiKey: string) {\n  return new OpenAI({ apiKey, dangerouslyAllowBrowser: true });\n}\n`;
    const result = await scanProject({ 'src/lib/client.ts': source });
    const findings = result.findings.filter((f) => f.ruleId === RULE);
    expect(findings.map((f) => `${f.location.file}:${f.location.line}:${f.location.column}`)).toEqual(['src/lib/client.ts:4:10']);
  });

  it("reports a client built in a 'use client' module, and its public key separately", async () => {
    const source = [
      `'use client';`,
      ``,
      `import Anthropic from '@anthropic-ai/sdk';`,
      ``,
      `const anthropic = new Anthropic({`,
      `  apiKey: process.env.NEXT_PUBLIC_ANTHROPIC_API_KEY,`,
      `});`,
      ``,
      `export default anthropic;`,
      ``,
    ].join('\n');
    expect(await exposures({ 'components/Writer.tsx': source })).toEqual(['components/Writer.tsx:5', 'components/Writer.tsx:6']);
  });

  it("does not report a server client, an explicit dangerouslyAllowBrowser: false, or a 'use client' module that only imports types", async () => {
    const server = `import OpenAI from 'openai';\n\nexport const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, dangerouslyAllowBrowser: false });\n`;
    const types = `'use client';\n\nimport type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';\n\nexport function Message({ message }: { message: ChatCompletionMessageParam }) {\n  return <p>{String(message.content)}</p>;\n}\n`;
    expect(await exposures({ 'lib/openai.ts': server, 'components/Message.tsx': types })).toEqual([]);
  });
});
