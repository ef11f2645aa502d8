/**
 * The package as users install it: `npm pack`, the tarball installed into an empty folder, then
 * `npx ai-endpoint-audit` run from there. Needs the registry for the dependencies, hence the long timeout.
 * The build is the one `npm test` just made (the test packs with --ignore-scripts so that it does not rebuild
 * dist/ under the other tests' feet; a real `npm pack` runs the prepack script, which builds).
 */
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGET_MB, folderSize, packageSizes } from '../../scripts/install-size.mjs';
import { FIXTURES, REPO, tempDir } from './helpers.js';

const exec = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const TEN_MINUTES = 10 * 60 * 1000;

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
};

interface PackEntry {
  filename: string;
  files: { path: string }[];
}

let scratch: { dir: string; remove: () => void };
let packed: PackEntry;
let consumer: string;

async function run(command: string, args: string[], cwd: string, timeout = TEN_MINUTES): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: '1' } });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; killed?: boolean; stdout?: string; stderr?: string };
    // Killed at the timeout: a status no command returns, so the caller can try again.
    if (failed.killed) return { status: -1, stdout: failed.stdout ?? '', stderr: `${failed.stderr ?? ''}\n(killed after ${timeout / 1000} s)` };
    if (typeof failed.code !== 'number') throw error;
    return { status: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Installing a local tarball takes seconds; now and then npm stalls before it starts, so a stalled try is retried. */
async function installTarball(tarball: string, cwd: string) {
  let install = { status: -1, stdout: '', stderr: '' };
  for (let attempt = 0; attempt < 3 && install.status !== 0; attempt++) {
    install = await run(NPM, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', tarball], cwd, 120_000);
    if (install.status > 0) break;
  }
  return install;
}

beforeAll(async () => {
  scratch = tempDir('aea-pack-');
  const pack = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch.dir], REPO);
  expect(pack.status, pack.stderr).toBe(0);
  packed = (JSON.parse(pack.stdout) as PackEntry[])[0]!;

  consumer = path.join(scratch.dir, 'consumer');
  cpSync(path.join(FIXTURES, 'express-classic', 'vulnerable'), path.join(consumer, 'fixture'), { recursive: true });
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const install = await installTarball(path.join(scratch.dir, packed.filename), consumer);
  expect(install.status, install.stderr).toBe(0);
}, TEN_MINUTES);

afterAll(() => scratch?.remove());

describe('npm package', () => {
  it('builds on pack (prepack, not prepare: nothing runs on install) and ships the build, the rule docs, the schema and the license, not tests or fixtures', () => {
    expect(pkg.scripts.prepack).toContain('build');
    expect(pkg.scripts.prepare).toBeUndefined();
    const files = packed.files.map((f) => f.path);
    for (const file of [
      'package.json',
      'LICENSE',
      'bin/ai-endpoint-audit.js',
      'dist/src/cli/main.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/typescript.cjs',
      'dist/src/typescript.d.cts',
      'dist/src/vendor/typescript.cjs',
      'dist/rules/index.js',
      'rules/no-auth.md',
      'schema/ai-endpoint-audit.schema.json',
    ]) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((f) => /^(test|fixtures|src\/(?!guard\/templates\/)|action\/|dist\/src\/action\/)/.test(f)), 'tests, fixtures, sources, the action').toEqual([]);
    expect(files.filter((f) => f.endsWith('.map')), 'source maps without their sources').toEqual([]);
  });

  it(`installs ${BUDGET_MB} MB at most on disk (as du counts it), with only the runtime dependencies the code uses`, () => {
    const nodeModules = path.join(consumer, 'node_modules');
    expect(folderSize(nodeModules).disk).toBeLessThanOrEqual(BUDGET_MB * 1024 * 1024);
    const installed = packageSizes(nodeModules).map((p) => p.name);
    // zod is bundled into dist/src/vendor by the build; the compiler is vendored the same way.
    for (const unused of ['typescript', 'ts-morph', '@ts-morph/common', 'zod']) expect(installed).not.toContain(unused);
    expect(installed).toContain('commander');
  });

  it('validates a config file with the bundled validator: a misspelt value is a usage error with a suggestion', async () => {
    writeFileSync(path.join(consumer, 'bad.yml'), 'failOn: hihg\n');
    const result = await run(NPX, ['--no-install', 'ai-endpoint-audit', '--config', 'bad.yml', path.join(REPO, 'fixtures/express-classic/vulnerable')], consumer);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('did you mean "high"');
  }, TEN_MINUTES);

  it('exports declarations that do not need zod installed', async () => {
    writeFileSync(path.join(consumer, 'use.ts'), "import { loadConfigFile, scan, type AuditConfig } from 'ai-endpoint-audit';\nexport const load: (file: string) => AuditConfig = loadConfigFile;\nexport const run = scan;\n");
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(REPO, 'node_modules', '@types'), 'use.ts'];
    const result = await run(process.execPath, [tsc, ...options], consumer);
    expect(result.stdout + result.stderr).not.toMatch(/zod/);
  }, TEN_MINUTES);

  it('npx ai-endpoint-audit --version prints the package version', async () => {
    const version = await run(NPX, ['--no-install', 'ai-endpoint-audit', '--version'], consumer);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
  }, TEN_MINUTES);

  it('npx ai-endpoint-audit scans a project: findings in JSON, exit 1', async () => {
    const scan = await run(NPX, ['--no-install', 'ai-endpoint-audit', 'fixture', '--format', 'json'], consumer);
    expect(scan.status, scan.stderr).toBe(1);
    const report = JSON.parse(scan.stdout) as { tool: { version: string }; findings: { ruleId: string; file: string; line: number }[] };
    expect(report.tool.version).toBe(pkg.version);
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'no-auth', file: 'server.js', line: 29 }));
  }, TEN_MINUTES);

  it('keeps the compiled TypeScript in node_modules/.cache, and scans the same with a corrupt cache', async () => {
    const scanJson = () => run(NPX, ['--no-install', 'ai-endpoint-audit', 'fixture', '--format', 'json'], consumer);
    const first = await scanJson();
    const cacheDir = path.join(consumer, 'node_modules', '.cache', 'ai-endpoint-audit');
    const [cacheFile] = readdirSync(cacheDir).filter((f) => /^typescript-.*\.bin$/.test(f));
    expect(cacheFile).toBeDefined();
    writeFileSync(path.join(cacheDir, cacheFile!), 'not a code cache');
    const second = await scanJson();
    expect(second.status, second.stderr).toBe(1);
    const withoutTiming = (stdout: string) => stdout.replace(/"durationMs": \d+/, '');
    expect(withoutTiming(second.stdout)).toBe(withoutTiming(first.stdout));
    expect(readFileSync(path.join(cacheDir, cacheFile!), 'utf8')).not.toBe('not a code cache');
  }, TEN_MINUTES);

  it('explain reads the rule documentation shipped in the package', async () => {
    const explain = await run(NPX, ['--no-install', 'ai-endpoint-audit', 'explain', 'no-auth'], consumer);
    expect(explain.status, explain.stderr).toBe(0);
    expect(explain.stdout).toBe(readFileSync(path.join(REPO, 'rules', 'no-auth.md'), 'utf8'));
  }, TEN_MINUTES);

  it('the library entry point and the schema resolve through exports', async () => {
    const script = [
      "const m = await import('ai-endpoint-audit');",
      "if (typeof m.scan !== 'function') throw new Error('no scan export');",
      "console.log(import.meta.resolve('ai-endpoint-audit/schema.json'));",
    ].join('\n');
    const result = await run(process.execPath, ['--input-type=module', '-e', script], consumer);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(/node_modules\/ai-endpoint-audit\/schema\/ai-endpoint-audit\.schema\.json$/);
  }, TEN_MINUTES);
});
