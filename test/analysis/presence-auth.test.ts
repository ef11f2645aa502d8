/**
 * Presence is not authentication: a check that only asks whether a client-sent credential is there passes any
 * string. A check of what a verifier or a server-side lookup returned is authentication.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

function route(imports: string, check: string): string {
  return `import { openai } from '@ai-sdk/openai';
import { generateText } from 'ai';
${imports}

export async function POST(req: Request) {
${check}
  const { prompt } = await req.json();
  const { text } = await generateText({ model: openai('gpt-4o-mini'), prompt: String(prompt).slice(0, 2000), maxOutputTokens: 300 });
  return Response.json({ text });
}
`;
}

async function authOf(imports: string, check: string): Promise<{ verified: number; presenceOnly: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aea-presence-'));
  mkdirSync(path.join(dir, 'app/api/ask'), { recursive: true });
  writeFileSync(path.join(dir, 'app/api/ask/route.ts'), route(imports, check));
  const result = await scan({ paths: [dir] });
  const facts = result.endpoints[0].facts;
  return { verified: facts.auth.length, presenceOnly: facts.presenceOnlyAuth?.length ?? 0 };
}

const refuse = "return new Response('Unauthorized', { status: 401 });";

describe('presence checks', () => {
  it.each([
    ['an Authorization header', '', `  if (!req.headers.get('authorization')) ${refuse}`],
    ['a bearer prefix', '', `  const header = req.headers.get('authorization');\n  if (!header?.startsWith('Bearer ')) ${refuse}`],
    ["cookies().has('session')", "import { cookies } from 'next/headers';", `  const store = await cookies();\n  if (!store.has('session')) ${refuse}`],
    ['a cookie value', "import { cookies } from 'next/headers';", `  const sid = (await cookies()).get('sid')?.value;\n  if (sid === undefined) ${refuse}`],
    ['jose decodeJwt', "import { decodeJwt } from 'jose';", `  const claims = decodeJwt(req.headers.get('authorization') ?? '');\n  if (!claims.sub) ${refuse}`],
    [
      'a payload decoded by hand',
      '',
      `  const token = req.headers.get('authorization')?.split(' ')[1] ?? '';\n  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());\n  if (!payload?.sub) ${refuse}`,
    ],
  ])('%s is not authentication', async (_name, imports, check) => {
    expect(await authOf(imports, check)).toEqual({ verified: 0, presenceOnly: 1 });
  });
});

describe('verified credentials', () => {
  it.each([
    ['an Auth.js session', "import { auth } from '@/auth';", `  const session = await auth();\n  if (!session?.user) ${refuse}`],
    ['a Supabase getUser', "import { createClient } from '@supabase/supabase-js';\nconst supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);", `  const { data } = await supabase.auth.getUser(req.headers.get('authorization')?.slice(7));\n  if (!data.user) ${refuse}`],
    ['a key compared with a server secret', '', `  if (req.headers.get('x-api-key') !== process.env.INTERNAL_API_KEY) ${refuse}`],
    [
      'a project helper that looks the session cookie up',
      "import { prisma } from '@/lib/prisma';\nasync function currentUser(req: Request) {\n  const sid = req.headers.get('cookie')?.match(/sid=([^;]+)/)?.[1];\n  return sid ? prisma.session.findUnique({ where: { id: sid } }) : null;\n}",
      `  const user = await currentUser(req);\n  if (!user) ${refuse}`,
    ],
  ])('%s is authentication', async (_name, imports, check) => {
    expect(await authOf(imports, check)).toEqual({ verified: 1, presenceOnly: 0 });
  });
});

describe('a presence test beside a path test', () => {
  it("SvelteKit's hook refusing /api requests without a session cookie is a presence check", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aea-presence-'));
    mkdirSync(path.join(dir, 'src/routes/api/chat'), { recursive: true });
    writeFileSync(
      path.join(dir, 'src/hooks.server.ts'),
      `import { error, type Handle } from '@sveltejs/kit';
export const handle: Handle = async ({ event, resolve }) => {
  if (event.url.pathname.startsWith('/api') && !event.cookies.get('session_token')) error(401, 'Sign in');
  return resolve(event);
};
`,
    );
    writeFileSync(
      path.join(dir, 'src/routes/api/chat/+server.ts'),
      `import OpenAI from 'openai';
import { json } from '@sveltejs/kit';
const openai = new OpenAI();
export async function POST({ request }) {
  const { prompt } = await request.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: String(prompt).slice(0, 500) }], max_tokens: 100 });
  return json(completion);
}
`,
    );
    const result = await scan({ paths: [dir] });
    const facts = result.endpoints[0].facts;
    expect(facts.auth).toEqual([]);
    expect(facts.presenceOnlyAuth?.map((f) => f.description)).toEqual(["only checks that event.cookies.get('session_token') is present: any value the client sends passes"]);
  });
});
