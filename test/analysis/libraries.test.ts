/**
 * Protection libraries are declared by the framework plugins (and one table of framework-independent ones);
 * the analysis recognises a library only through those declarations.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { mergeLibraries } from '../../src/semantic/libraries.js';

vi.mock('../../src/frameworks/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/frameworks/index.js')>();
  const declared = mergeLibraries([
    original.PROTECTION_LIBRARIES,
    {
      authMiddleware: [{ module: 'acme-auth', signature: /^requireUser\.\(\)$/, name: 'acme requireUser' }],
      middlewareLimiters: [{ module: 'acme-throttle', keyOption: 'by', defaultKey: 'ip' }],
    },
  ]);
  return { ...original, PROTECTION_LIBRARIES: declared };
});

const { scan } = await import('../../src/index.js');
const { FRAMEWORKS, PROTECTION_LIBRARIES } = await import('../../src/frameworks/index.js');

function project(middleware: string, imports: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aea-libraries-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'chat', dependencies: { express: '^5.0.0', openai: '^5.0.0' } }));
  writeFileSync(
    path.join(dir, 'src/server.js'),
    `import express from 'express';
import OpenAI from 'openai';
${imports}
const app = express();
const openai = new OpenAI();
app.use(express.json());
app.post('/api/chat', ${middleware}, async (req, res) => {
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: req.body.messages, max_tokens: 300 });
  res.json(completion.choices[0].message);
});
app.listen(3000);
`,
  );
  return dir;
}

describe('protection libraries declared by plugins', () => {
  it('holds every framework plugin declaration in the merged tables', () => {
    for (const framework of FRAMEWORKS) {
      for (const [kind, entries] of Object.entries(framework.libraries ?? {})) {
        const merged = PROTECTION_LIBRARIES[kind as keyof typeof PROTECTION_LIBRARIES] as readonly unknown[];
        for (const entry of entries as readonly unknown[]) expect(merged, `${framework.name} ${kind}`).toContain(entry);
      }
    }
    expect(PROTECTION_LIBRARIES.middlewareLimiters.map((l) => l.module)).toEqual(
      expect.arrayContaining(['express-rate-limit', '@fastify/rate-limit', 'hono-rate-limiter', '@nestjs/throttler', 'koa-ratelimit']),
    );
  });

  it('recognises a library middleware once a declaration names it', async () => {
    const result = await scan({ paths: [project('requireUser(), throttle({ by: (req) => req.ip })', "import { requireUser } from 'acme-auth';\nimport throttle from 'acme-throttle';")] });
    expect(result.endpoints).toHaveLength(1);
    const { facts } = result.endpoints[0];
    expect(facts.auth.map((a) => a.description)).toEqual(['acme requireUser middleware']);
    expect(facts.rateLimits.map((l) => [l.library, l.key])).toEqual([['acme-throttle', 'ip']]);
    expect(result.findings.map((f) => f.ruleId)).not.toContain('no-auth');
  });

  it('reports an undeclared library middleware as unseen, not as a protection', async () => {
    const result = await scan({ paths: [project('checkUser()', "import { checkUser } from 'other-auth';")] });
    const { facts } = result.endpoints[0];
    expect(facts.auth).toEqual([]);
    expect(facts.unseen.map((u) => [u.name, u.mayProvide.includes('auth')])).toContainEqual(['checkUser()', true]);
  });
});
