/** What the analysis cannot see into before a paid call is listed in the facts, and only that. */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { chatCall, endpointsOf } from '../frameworks/server-helpers.js';

afterAll(removeProjects);

const EXPRESS = `import express from 'express';\nimport cors from 'cors';\nimport { openai } from '../lib/openai';\nconst app = express();\napp.use(express.json());\napp.use(cors());\n`;
const handler = `async (req, res) => res.json(${chatCall("String(req.body.prompt).slice(0, 500)")})`;

async function unseenOf(files: Record<string, string>) {
  const [endpoint] = await endpointsOf(files);
  return endpoint.facts.unseen.map((u) => ({ name: u.name, line: u.location.line, mayProvide: u.mayProvide, named: u.named }));
}

describe('unseen elements', () => {
  it('framework plumbing and known non-protections are seen: nothing is unknown', async () => {
    expect(await unseenOf({ 'src/server.ts': `${EXPRESS}app.post('/chat', ${handler});\n` })).toEqual([]);
  });

  it('middleware from an unknown package may provide what its name says, or anything', async () => {
    const found = await unseenOf({
      'src/server.ts': `${EXPRESS}import { requireSession } from '@acme/sessions';\nimport { edge } from '@acme/edge';\napp.post('/chat', requireSession, edge(), ${handler});\n`,
    });
    expect(found).toEqual([
      { name: 'requireSession', line: 9, mayProvide: ['auth'], named: true },
      { name: 'edge()', line: 9, mayProvide: ['auth', 'rateLimit', 'spendCap'], named: false },
    ]);
  });

  it('a check-like call into an unknown package whose result is discarded is unseen; one whose result is checked is not', async () => {
    const found = await unseenOf({
      'src/server.ts': `${EXPRESS}import { enforceQuota, getQuota } from '@acme/billing';
app.post('/chat', async (req, res) => {
  await enforceQuota(req.get('x-team'));
  const quota = await getQuota(req.get('x-team'));
  if (quota.remaining <= 0) return res.status(402).end();
  return res.json(${chatCall("String(req.body.prompt).slice(0, 500)")});
});
`,
    });
    expect(found).toEqual([{ name: 'enforceQuota()', line: 9, mayProvide: ['spendCap'], named: true }]);
  });

  it('a project function is seen into, even when it protects nothing', async () => {
    const found = await unseenOf({
      'src/server.ts': `${EXPRESS}function tag(req, _res, next) { req.tagged = true; next(); }\napp.post('/chat', tag, ${handler});\n`,
    });
    expect(found).toEqual([]);
  });
});

describe('values that do not resolve', () => {
  it('a middleware handed in from outside the scan is unseen and may provide anything', async () => {
    const found = await unseenOf({
      'src/server.ts': `${EXPRESS}const platform = (globalThis as any).platform;\napp.post('/chat', platform.gate, ${handler});\n`,
    });
    expect(found.map((u) => [u.name, u.mayProvide.length, u.named])).toEqual([['platform.gate', 3, false]]);
  });
});

describe('wrappers', () => {
  it('a Next.js handler wrapped by a function from an unknown package is behind an unseen element', async () => {
    const found = await unseenOf({
      'app/api/chat/route.ts': `import { withTeamAuth } from '@acme/next-kit';\nimport { openai } from '../../../lib/openai';\nexport const POST = withTeamAuth(async (req: Request) => {\n  const { prompt } = await req.json();\n  return Response.json(${chatCall('String(prompt).slice(0, 500)')});\n});\n`,
    });
    expect(found.map((u) => [u.name, u.mayProvide, u.line])).toEqual([['withTeamAuth()', ['auth'], 3]]);
  });
});
