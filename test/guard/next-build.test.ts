/**
 * The generated Next.js guard, wired in exactly as the CLI prints it, builds with `next build` while no store is
 * reachable: no top-level await waits for Redis, and the Postgres pool connects on first use only.
 *
 * Slow, and it installs Next.js from the npm registry into a scratch folder, so it runs only when asked:
 *   AI_GUARD_NEXT_BUILD=1 npx vitest run --config vitest.integration.config.ts test/guard/next-build.test.ts
 * (or `npm run test:next-build`). AI_GUARD_NEXT_DIR reuses a folder that already has the packages installed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGuard, wiringInstructions } from '../../src/guard/generate.js';

const ASKED = process.env.AI_GUARD_NEXT_BUILD === '1';
const PACKAGES = ['next@15.5.29', 'react@19', 'react-dom@19', 'zod@4', 'redis@5', 'pg@8', 'typescript@5', '@types/react@19', '@types/node@22', '@types/pg@8'];
/** Nothing listens here: every connection attempt is refused at once. */
const NO_STORE = { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgres://guard:guard@127.0.0.1:1/guard' };

/** The code of one numbered step of the printed wiring, de-indented. */
function step(text: string, heading: RegExp): string {
  const start = text.search(heading);
  const rest = text.slice(start).split('\n').slice(2);
  const end = rest.findIndex((line) => line !== '' && !line.startsWith('    '));
  return rest.slice(0, end).map((line) => line.slice(4)).join('\n');
}

/** The stand-ins for what the printed route takes from the app: a chat client typed as chat APIs are, a system prompt. */
const APP_CONTEXT = `const SYSTEM_PROMPT = 'Answer briefly.';
const openai = {
  chat: {
    completions: {
      create: async (_request: { model: string; max_tokens: number; messages: { role: 'system' | 'user' | 'assistant'; content: string }[] }) => ({ choices: [{ message: { content: 'Sure.' } }], usage: { prompt_tokens: 1, completion_tokens: 1 } }),
    },
  },
};
`;

/** Runs a command without blocking the test worker (a blocked worker misses vitest's own messages). */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...NO_STORE, NEXT_TELEMETRY_DISABLED: '1' } });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, output });
    });
  });
}

/** One install of Next.js for both builds, unless AI_GUARD_NEXT_DIR names a folder that has it. */
let installed: string | undefined;
function projectDir(): string {
  installed ??= process.env.AI_GUARD_NEXT_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'aea-next-build-'));
  return installed;
}

describe.skipIf(!ASKED)(ASKED ? 'next build of the generated guard' : 'next build of the generated guard (skipped: set AI_GUARD_NEXT_BUILD=1 to run it)', () => {
  for (const store of ['redis', 'postgres'] as const) {
    it(`finishes with the ${store} store unreachable`, async () => {
      const dir = projectDir();
      if (!existsSync(path.join(dir, 'node_modules', 'next'))) {
        writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'guarded-next-build', private: true }));
        // Now and then npm stalls before it starts: a stalled try is killed and made again.
        let install = await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...PACKAGES], dir, 180_000);
        for (let attempt = 1; attempt < 2 && install.signal !== null; attempt++) {
          install = await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...PACKAGES], dir, 180_000);
        }
        expect(install.status, install.output).toBe(0);
      }
      for (const folder of ['app', 'lib', '.next']) rmSync(path.join(dir, folder), { recursive: true, force: true });
      writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { target: 'ES2022', lib: ['dom', 'es2022'], strict: true, noEmit: true, module: 'esnext', moduleResolution: 'bundler', jsx: 'preserve', skipLibCheck: true, isolatedModules: true, esModuleInterop: true, incremental: true, plugins: [{ name: 'next' }], paths: { '@/*': ['./*'] } },
          include: ['next-env.d.ts', '**/*.ts', '**/*.tsx'],
          exclude: ['node_modules'],
        }),
      );
      generateGuard({ framework: 'next', store, outDir: path.join(dir, 'lib/ai-guard') });
      const wiring = wiringInstructions('next', store, '@/lib/ai-guard');
      writeFileSync(path.join(dir, 'lib/guard.ts'), `${step(wiring, /^1\. /m)}\n`);
      mkdirSync(path.join(dir, 'app/api/chat'), { recursive: true });
      writeFileSync(path.join(dir, 'app/layout.tsx'), 'export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return <html><body>{children}</body></html>;\n}\n');
      writeFileSync(path.join(dir, 'app/page.tsx'), 'export default function Page() {\n  return <main>Ask away.</main>;\n}\n');
      writeFileSync(path.join(dir, 'app/api/chat/route.ts'), `import { aiGuard } from '@/lib/guard';\n\n${APP_CONTEXT}\n${step(wiring, /^2\. /m)}\n`);
      writeFileSync(path.join(dir, 'app/actions.ts'), `'use server';\n\nimport { aiGuard } from '@/lib/guard';\n\n${APP_CONTEXT}\n${step(wiring, /^3\. /m)}\n`);

      const started = Date.now();
      const build = await run(path.join(dir, 'node_modules/.bin/next'), ['build'], dir, 240_000);
      expect(build.signal, `next build did not finish in 240 s:\n${build.output.slice(-3000)}`).toBeNull();
      expect(build.status, build.output.slice(-3000)).toBe(0);
      expect(build.output).toMatch(/api\/chat/);
      expect(Date.now() - started).toBeLessThan(240_000);
    }, 900_000);
  }
});
