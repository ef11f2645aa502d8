/**
 * The `guard` command: which files it writes for each framework and store, that it never replaces a file
 * without --force, that what it writes compiles in the project's own module setup, and the CLI around it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { GUARD_FRAMEWORKS, GuardFilesExistError, generateGuard, guardFileNames, isUnchangedGuardFile, renderGuardFile, wiringInstructions } from '../../src/guard/generate.js';

const REPO = path.resolve(__dirname, '../..');
const TEMPLATES = path.join(REPO, 'src/guard/templates');
const scratch: (() => void)[] = [];
afterEach(() => {
  for (const remove of scratch.splice(0)) remove();
});

function scratchDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aea-guard-'));
  scratch.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The built CLI in a child process, as a user runs it. */
function runCli(args: string[], options: { cwd: string }): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin/ai-endpoint-audit.js'), ...args], { cwd: options.cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('generateGuard', () => {
  it('writes the shared core, the chosen store and the framework adapter', () => {
    const out = path.join(scratchDir(), 'src/ai-guard');
    const written = generateGuard({ framework: 'express', store: 'redis', outDir: out });
    expect(written.map((w) => path.basename(w.path))).toEqual(['types.ts', 'messages.ts', 'core.ts', 'notify.ts', 'store-redis.ts', 'express.ts']);
    expect(readdirSync(out).sort()).toEqual(['core.ts', 'express.ts', 'messages.ts', 'notify.ts', 'store-redis.ts', 'types.ts']);
    const express = readFileSync(path.join(out, 'express.ts'), 'utf8');
    expect(express.split('\n').slice(1).join('\n')).toBe(readFileSync(path.join(TEMPLATES, 'express.ts'), 'utf8'));
    expect(express).toContain("from './core.js'");
  });

  it('drops the .js of relative imports for Next.js, which resolves modules the bundler way', () => {
    const text = renderGuardFile('next.ts', 'next');
    expect(text).toContain("from './core'");
    expect(text).not.toMatch(/from '\.\/[\w-]+\.js'/);
    expect(renderGuardFile('core.ts', 'next')).toContain("import { z } from 'zod';");
  });

  it('gives the fetch-based frameworks the shared Request core and the Node ones their own adapter', () => {
    expect(guardFileNames('hono', 'memory')).toEqual(['types.ts', 'messages.ts', 'core.ts', 'notify.ts', 'store-memory.ts', 'fetch.ts', 'hono.ts']);
    expect(guardFileNames('fastify', 'postgres')).toEqual(['types.ts', 'messages.ts', 'core.ts', 'notify.ts', 'store-postgres.ts', 'fastify.ts']);
    expect(renderGuardFile('hono.ts', 'hono')).toContain("from './fetch.js'");
    expect(renderGuardFile('sveltekit.ts', 'sveltekit')).toContain("from './fetch'");
  });

  it('writes nothing when a file exists, and lists every such file', () => {
    const out = scratchDir();
    writeFileSync(path.join(out, 'core.ts'), 'mine');
    writeFileSync(path.join(out, 'next.ts'), 'mine too');
    let refusal: unknown;
    try {
      generateGuard({ framework: 'next', store: 'memory', outDir: out });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(GuardFilesExistError);
    expect((refusal as GuardFilesExistError).existing.map((file) => path.basename(file))).toEqual(['core.ts', 'next.ts']);
    expect(readFileSync(path.join(out, 'core.ts'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(out, 'types.ts'))).toBe(false);
  });

  it('with --force replaces only files it wrote that are unchanged since', () => {
    const out = scratchDir();
    generateGuard({ framework: 'next', store: 'memory', outDir: out });
    expect(isUnchangedGuardFile(path.join(out, 'core.ts'))).toBe(true);
    const again = generateGuard({ framework: 'next', store: 'memory', outDir: out, force: true });
    expect(again.every((w) => w.replaced)).toBe(true);

    writeFileSync(path.join(out, 'core.ts'), readFileSync(path.join(out, 'core.ts'), 'utf8').replace('maxMessages: 40', 'maxMessages: 10'));
    writeFileSync(path.join(out, 'next.ts'), 'written by hand, no checksum line');
    expect(isUnchangedGuardFile(path.join(out, 'core.ts'))).toBe(false);
    const edited = readFileSync(path.join(out, 'core.ts'), 'utf8');
    expect(() => generateGuard({ framework: 'next', store: 'memory', outDir: out, force: true })).toThrow(/core\.ts.*next\.ts/);
    expect(readFileSync(path.join(out, 'core.ts'), 'utf8')).toBe(edited);
  });

  it('with --new writes <file>.new beside a file it may not replace, and leaves that file alone', () => {
    const out = scratchDir();
    generateGuard({ framework: 'hono', store: 'redis', outDir: out });
    writeFileSync(path.join(out, 'hono.ts'), 'my changes');
    const written = generateGuard({ framework: 'hono', store: 'redis', outDir: out, force: true, writeNew: true });
    expect(written.map((w) => path.basename(w.path))).toEqual(['types.ts', 'messages.ts', 'core.ts', 'notify.ts', 'store-redis.ts', 'fetch.ts', 'hono.ts.new']);
    expect(readFileSync(path.join(out, 'hono.ts'), 'utf8')).toBe('my changes');
    expect(isUnchangedGuardFile(path.join(out, 'hono.ts.new'))).toBe(true);
    // Without --force, every existing file gets its .new; a hand-made .new is never replaced.
    writeFileSync(path.join(out, 'core.ts.new'), 'mine');
    expect(() => generateGuard({ framework: 'hono', store: 'redis', outDir: out, writeNew: true })).toThrow(/core\.ts\.new/);
  });

  it('never writes through a symbolic link at the target, even with --force and --new', () => {
    const out = scratchDir();
    const elsewhere = path.join(scratchDir(), 'victim.ts');
    writeFileSync(elsewhere, 'not yours');
    symlinkSync(elsewhere, path.join(out, 'core.ts'));
    expect(() => generateGuard({ framework: 'express', store: 'memory', outDir: out, force: true })).toThrow(/symbolic link/);
    generateGuard({ framework: 'express', store: 'memory', outDir: out, force: true, writeNew: true });
    expect(readFileSync(elsewhere, 'utf8')).toBe('not yours');
    expect(existsSync(path.join(out, 'core.ts.new'))).toBe(true);
  });

  for (const framework of GUARD_FRAMEWORKS) {
    const bundler = !['express', 'fastify', 'hono'].includes(framework);
    const moduleResolution = bundler ? ts.ModuleResolutionKind.Bundler : ts.ModuleResolutionKind.NodeNext;
    it(`writes ${framework} files that type-check in a ${bundler ? 'bundler' : 'NodeNext'} project, with every store`, () => {
      const project = scratchDir();
      symlinkSync(path.join(REPO, 'node_modules'), path.join(project, 'node_modules'), 'dir');
      writeFileSync(path.join(project, 'package.json'), JSON.stringify({ type: 'module' }));
      const files: string[] = [];
      for (const store of ['memory', 'redis', 'postgres'] as const) {
        const out = path.join(project, store);
        generateGuard({ framework, store, outDir: out });
        files.push(...guardFileNames(framework, store).map((name) => path.join(out, name)));
      }
      const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: bundler ? ts.ModuleKind.ESNext : ts.ModuleKind.NodeNext,
        moduleResolution,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: ['node'],
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(problems).toEqual([]);
    });
  }
});

describe('the guarded sample apps', () => {
  for (const [fixture, framework, store] of [
    ['guarded-express/fixed/src/ai-guard', 'express', 'redis'],
    ['guarded-next/fixed/lib/ai-guard', 'next', 'postgres'],
    ['guarded-hono/fixed/src/ai-guard', 'hono', 'redis'],
    ['guarded-fastify/fixed/src/ai-guard', 'fastify', 'postgres'],
  ] as const) {
    it(`carry the guard exactly as the command writes it today (fixtures/${fixture})`, () => {
      const dir = path.join(REPO, 'fixtures', fixture);
      expect(readdirSync(dir).sort()).toEqual([...guardFileNames(framework, store)].sort());
      for (const name of guardFileNames(framework, store)) {
        const body = (text: string) => text.slice(text.indexOf('\n') + 1);
        expect(body(readFileSync(path.join(dir, name), 'utf8')), `${name}: regenerate with --force`).toBe(body(renderGuardFile(name, framework)));
      }
    });
  }
});

describe('the printed wiring', () => {
  it('names, for each framework, where the client address comes from and when a header is safe', () => {
    for (const framework of GUARD_FRAMEWORKS) {
      const text = wiringInstructions(framework, 'memory', './ai-guard');
      expect(text, framework).toMatch(framework === 'workers' ? /cf-connecting-ip: Cloudflare sets it/ : /safe only behind|only behind/);
      expect(text, framework).toContain(framework === 'workers' ? "proxy: 'cloudflare'" : "proxy: 'none'");
      expect(text, framework).toMatch(/502/);
    }
    expect(wiringInstructions('next', 'memory', './g')).toContain("aiGuard.action(input, { route: 'ask' }, await headers())");
    expect(wiringInstructions('hono', 'memory', './g')).toContain("import { createHonoGuard } from './g/hono.js';");
    expect(wiringInstructions('astro', 'memory', './g')).toContain("import { createAstroGuard } from './g/astro';");
  });

  for (const framework of GUARD_FRAMEWORKS) {
    for (const store of ['redis', 'postgres'] as const) {
      it(`for ${framework} on ${store}: listens for store errors, awaits nothing at the top level, answers 502 on a failed call`, () => {
        const text = wiringInstructions(framework, store, './ai-guard');
        const setup = text.slice(0, text.indexOf('2. Put it in front'));
        expect(setup).not.toMatch(/^\s*await /m);
        expect(setup).toContain(store === 'redis' ? "redis.on('error'" : "pool.on('error'");
        expect(text).toMatch(/status\(502\)|status: 502|code\(502\)|, 502\)/);
        expect(text).not.toMatch(/throw error/);
        if (framework !== 'workers') expect(setup).toContain("proxy: 'none'");
      });
    }
  }
});

describe('ai-endpoint-audit guard', () => {
  it('writes the files, says what it wrote and how to wire them in', () => {
    const project = scratchDir();
    const first = runCli(['guard', '--framework', 'express', '--store', 'postgres'], { cwd: project });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('wrote  ai-guard/store-postgres.ts');
    expect(first.stdout).toContain("import { createExpressGuard } from './ai-guard/express.js';");
    expect(first.stdout).toContain("aiGuard.protect({ route: 'chat' })");
    expect(first.stdout).toContain('npm install zod pg');
    expect(readdirSync(path.join(project, 'ai-guard')).sort()).toEqual(['core.ts', 'express.ts', 'messages.ts', 'notify.ts', 'store-postgres.ts', 'types.ts']);
  });

  it('refuses to replace files without --force and exits 2', () => {
    const project = scratchDir();
    expect(runCli(['guard', '--framework', 'next', '--out', 'lib/guard'], { cwd: project }).status).toBe(0);
    const again = runCli(['guard', '--framework', 'next', '--out', 'lib/guard'], { cwd: project });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('nothing written');
    expect(again.stderr).toContain('--force');
    expect(again.stderr).toContain('lib/guard/next.ts');
    const forced = runCli(['guard', '--framework', 'next', '--out', 'lib/guard', '--force'], { cwd: project });
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain('replaced  lib/guard/next.ts');
    expect(forced.stdout).toContain("const gate = await aiGuard.check(request, { route: 'chat' });");
    writeFileSync(path.join(project, 'lib/guard/next.ts'), 'edited');
    expect(runCli(['guard', '--framework', 'next', '--out', 'lib/guard', '--force'], { cwd: project }).status).toBe(2);
    const beside = runCli(['guard', '--framework', 'next', '--out', 'lib/guard', '--force', '--new'], { cwd: project });
    expect(beside.status).toBe(0);
    expect(beside.stdout).toContain('wrote  lib/guard/next.ts.new');
    expect(readFileSync(path.join(project, 'lib/guard/next.ts'), 'utf8')).toBe('edited');
  });

  it('puts a Next.js guard under lib/ by default and rejects unknown choices', () => {
    const project = scratchDir();
    expect(runCli(['guard', '--framework', 'next'], { cwd: project }).status).toBe(0);
    expect(existsSync(path.join(project, 'lib/ai-guard/next.ts'))).toBe(true);
    expect(runCli(['guard', '--framework', 'koa'], { cwd: project }).status).toBe(2);
    expect(runCli(['guard', '--framework', 'sveltekit'], { cwd: project }).status).toBe(0);
    expect(existsSync(path.join(project, 'src/lib/server/ai-guard/sveltekit.ts'))).toBe(true);
    expect(runCli(['guard'], { cwd: project }).status).toBe(2);
  });
});
