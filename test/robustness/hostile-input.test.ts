/**
 * Odd and hostile trees: each odd file gives a clear entry in `errors` (or a skip note), the rest of the scan
 * completes (the vulnerable route next to it is still reported), and nothing outside the root is read.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, ScanUsageError } from '../../src/index.js';
import { discover } from '../../src/discover/discover.js';
import { buildIndex } from '../../src/pipeline/build-index.js';
import type { ScanError, ScanResult } from '../../src/model.js';
import { lineHashes } from '../../src/findings/fingerprint.js';
import { hasVulnerableRouteFinding, makeProject, removeProjects, VULNERABLE_ROUTE } from './project.js';

afterAll(removeProjects);

function errorFor(result: ScanResult, file: string): ScanError | undefined {
  return result.errors.find((e) => e.file === file);
}

async function scanProject(root: string): Promise<ScanResult> {
  const result = await scan({ paths: [root] });
  expect(hasVulnerableRouteFinding(result)).toBe(true);
  return result;
}

describe('odd files', () => {
  it('a file with a syntax error is analysed as far as it parses and noted with its line', async () => {
    const root = makeProject({
      'app/api/broken/route.ts': `import OpenAI from 'openai';\nconst openai = new OpenAI();\n\nexport async function POST(req: Request) {\n  const body = await req.json(;\n  return Response.json({ ok: true }\n`,
    });
    const result = await scanProject(root);
    const error = errorFor(result, 'app/api/broken/route.ts');
    expect(error).toMatchObject({ kind: 'syntax', line: 5 });
  });

  it('a file that is not valid UTF-8 is noted and still analysed; a UTF-16 file is decoded', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(VULNERABLE_ROUTE.replace("'gpt-4o-mini'", "'gpt-4o-mini' /* ")),
      Buffer.from([0xe9, 0xe8, 0xff, 0x20]),
      Buffer.from('*/'),
    ]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VULNERABLE_ROUTE, 'utf16le')]);
    const root = makeProject({ 'app/api/latin/route.ts': latin1, 'app/api/wide/route.ts': utf16 });
    const result = await scanProject(root);
    expect(errorFor(result, 'app/api/latin/route.ts')).toMatchObject({ kind: 'encoding' });
    expect(errorFor(result, 'app/api/wide/route.ts')).toBeUndefined();
    const routes = result.findings.filter((f) => f.ruleId === 'no-auth').map((f) => f.location.file);
    expect(routes).toEqual(expect.arrayContaining(['app/api/latin/route.ts', 'app/api/wide/route.ts']));
    // Line hashes are GitHub's, over the file read as UTF-8, whatever the analysis decoded.
    for (const file of ['app/api/latin/route.ts', 'app/api/wide/route.ts']) {
      const finding = result.findings.find((f) => f.ruleId === 'no-auth' && f.location.file === file)!;
      expect(finding.lineHash).toBe(lineHashes(readFileSync(path.join(root, file), 'utf8'))[finding.location.line - 1]);
    }
  });

  it('a binary file with a .ts name is skipped', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const root = makeProject({ 'lib/model.ts': bytes });
    const result = await scanProject(root);
    expect(errorFor(result, 'lib/model.ts')).toMatchObject({ kind: 'binary' });
  });

  it('a 50 MB file is skipped without being read whole', async () => {
    const line = "export const row = 'x'.repeat(80);\n";
    const root = makeProject({ 'lib/huge.ts': Buffer.from(line.repeat(Math.ceil((50 * 1024 * 1024) / line.length))) });
    const result = await scanProject(root);
    expect(errorFor(result, 'lib/huge.ts')).toMatchObject({ kind: 'too-large' });
  });

  it('a minified bundle with one 20,000-character line is skipped as generated code', async () => {
    const statements: string[] = [];
    for (let i = 0; statements.join('').length < 20_000; i++) statements.push(`var a${i}=function(b){return b+${i}};`);
    const bundle = statements.join('');
    expect(bundle.length).toBeGreaterThanOrEqual(20_000);
    const root = makeProject({ 'public/vendor.js': bundle, 'lib/long-data.ts': `export const logo = '${'A'.repeat(20_000)}';\n${'export const n = 1;\n'.repeat(200)}` });
    const result = await scanProject(root);
    expect(errorFor(result, 'public/vendor.js')).toMatchObject({ kind: 'minified' });
    // One long line among ordinary ones is not a bundle.
    expect(errorFor(result, 'lib/long-data.ts')).toBeUndefined();
  });

  it('2,000-level nested expressions neither overflow the parser nor the walks after it', async () => {
    // One level a line, so the files do not look minified.
    // Each file imports an AI SDK, so the scan parses it (a route that cannot reach a paid call is not parsed).
    const nested = (open: string, inner: string, close: string) => `${`${open}\n`.repeat(2000)}${inner}${close.repeat(2000)}`;
    const ai = "import OpenAI from 'openai';\n";
    const root = makeProject({
      'app/api/parens/route.ts': `${ai}export async function POST() {\n  return Response.json(${nested('(', '1', ')')});\n}\n`,
      'app/api/arrays/route.ts': `${ai}export const POST = async () => Response.json(${nested('[', '', ']')});\n`,
      'app/api/calls/route.ts': `${ai}import { f } from '@/lib/f';\nexport async function POST() {\n  return Response.json(${nested('f(', '1', ')')});\n}\n`,
      'app/api/arrows/route.ts': `${ai}export const POST = ${'() =>\n'.repeat(2000)}1;\n`,
      'lib/sum.ts': `import OpenAI from 'openai';\nexport const total = () => ${Array.from({ length: 5000 }, (_, i) => `v${i}`).join(' +\n')};\n`,
      // Deep, but within the limit: analysed, and its findings reported.
      'app/api/summary/route.ts': VULNERABLE_ROUTE.replace('const { prompt }', `const weight = ${Array.from({ length: 900 }, () => '1').join(' +\n')};\n  const { prompt }`),
      'app/api/uses-sum/route.ts': `import { total } from '../../../lib/sum';\nexport async function GET() {\n  return Response.json({ total: total() });\n}\n`,
    });
    const result = await scanProject(root);
    for (const file of ['app/api/parens/route.ts', 'app/api/arrays/route.ts', 'app/api/calls/route.ts', 'app/api/arrows/route.ts', 'lib/sum.ts']) {
      expect(errorFor(result, file), file).toMatchObject({ kind: 'too-deep' });
    }
    expect(result.findings.some((f) => f.ruleId === 'no-auth' && f.location.file === 'app/api/summary/route.ts')).toBe(true);
    expect(result.errors.filter((e) => e.kind === 'internal')).toEqual([]);
  });

  it('an import cycle terminates and the paid call behind it is found', async () => {
    const root = makeProject({
      'app/api/story/route.ts': `import { draft } from '@/lib/a';\n\nexport async function POST(req: Request) {\n  const { topic } = await req.json();\n  return Response.json({ text: await draft(topic, 3) });\n}\n`,
      'lib/a.ts': `import { refine } from './b';\nexport * from './b';\nexport async function draft(topic: string, rounds: number): Promise<string> {\n  return rounds > 0 ? refine(topic, rounds - 1) : topic;\n}\n`,
      'lib/b.ts': `import OpenAI from 'openai';\nimport { draft } from './a';\nexport * from './a';\nconst client = new OpenAI();\nexport async function refine(topic: string, rounds: number): Promise<string> {\n  const reply = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: topic }] });\n  return draft(reply.choices[0].message.content ?? '', rounds);\n}\n`,
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    });
    const result = await scanProject(root);
    expect(result.findings.some((f) => f.ruleId === 'no-auth' && f.location.file === 'app/api/story/route.ts')).toBe(true);
  });

  it('thousands of unclosed export lists behind a barrel are looked at in bounded time', async () => {
    const root = makeProject({
      'lib/index.ts': "export * from './odd';\nexport * from './ai';\n",
      'lib/odd.ts': 'export {\n'.repeat(40_000),
      'lib/ai.ts': `import OpenAI from 'openai';\nexport const ask = () => new OpenAI().chat.completions.create({ model: 'gpt-4o', messages: [] });\n`,
      'app/api/ask/route.ts': `import { ask } from '../../../lib';\n\nexport async function POST() {\n  return Response.json(await ask());\n}\n`,
    });
    const started = Date.now();
    const result = await scanProject(root);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.findings.some((f) => f.ruleId === 'no-auth' && f.location.file === 'app/api/ask/route.ts')).toBe(true);
  });

  it('a cycle of imports re-exported under the same name neither overflows nor loses the route', async () => {
    const root = makeProject({
      'lib/a.ts': "import { x } from './b';\nexport { x };\n",
      'lib/b.ts': "import { x } from './a';\nexport { x };\n",
      'app/api/loop/route.ts': `import OpenAI from 'openai';\nimport { x } from '../../../lib/a';\n\nexport async function POST() {\n  x();\n  return Response.json(await new OpenAI().chat.completions.create({ model: 'gpt-4o', messages: [] }));\n}\n`,
    });
    const result = await scanProject(root);
    expect(result.errors.filter((e) => e.kind === 'internal')).toEqual([]);
    expect(result.findings.some((f) => f.ruleId === 'no-auth' && f.location.file === 'app/api/loop/route.ts')).toBe(true);
  });

  it('a 3,000-file import chain is followed only as far as calls lead, and a 3,000-file re-export chain is cut short', async () => {
    const chain: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) chain[`lib/chain/m${i}.ts`] = `import { step${i + 1} } from './m${i + 1}';\nexport const step${i} = () => step${i + 1}();\n`;
    chain['lib/chain/m3000.ts'] = `import OpenAI from 'openai';\nexport const step3000 = () => new OpenAI().chat.completions.create({ model: 'gpt-4o', messages: [] });\n`;
    for (let i = 0; i < 3000; i++) chain[`lib/barrels/b${i}.ts`] = `export * from './b${i + 1}';\n`;
    chain['lib/barrels/b3000.ts'] = `import OpenAI from 'openai';\nexport const ask = () => new OpenAI().chat.completions.create({ model: 'gpt-4o', messages: [] });\n`;
    chain['app/api/chain/route.ts'] = `import { step0 } from '../../../lib/chain/m0';\nexport async function GET() {\n  return Response.json(step0());\n}\n`;
    chain['app/api/barrel/route.ts'] = `import { ask } from '../../../lib/barrels/b0';\nexport async function GET() {\n  return Response.json(await ask());\n}\n`;
    const result = await scanProject(makeProject(chain));
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'too-deep', message: expect.stringMatching(/re-exports not followed/) })]);
    expect(result.endpoints.map((e) => e.path)).toEqual(['/api/chat']); // the bundled route; neither chain is followed to its end
    expect(result.stats.analyzedFiles).toBeLessThan(100);
  });
});

describe('links, special files and vanishing files', () => {
  it('a symbolic link loop is noted and not entered', async () => {
    const root = makeProject();
    symlinkSync('.', path.join(root, 'app/api/chat/again'));
    symlinkSync('..', path.join(root, 'app/up'));
    symlinkSync('.', path.join(root, 'node_modules'));
    const result = await scanProject(root);
    expect(errorFor(result, 'app/api/chat/again')?.message).toMatch(/loop/);
    expect(errorFor(result, 'app/up')?.message).toMatch(/loop/);
    // An ignored folder is ignored even as a link.
    expect(errorFor(result, 'node_modules')).toBeUndefined();
    expect(result.stats.files).toBe(1);
  });

  it('links to /etc and to another folder outside the root are never read, not even through imports', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'aea-outside-'));
    mkdirSync(path.join(outside, 'leak'), { recursive: true });
    writeFileSync(path.join(outside, 'leak/route.ts'), VULNERABLE_ROUTE);
    writeFileSync(path.join(outside, 'secret.ts'), VULNERABLE_ROUTE.replace('export async function POST', 'export async function handler'));
    writeFileSync(path.join(outside, 'tsconfig.base.json'), JSON.stringify({ compilerOptions: { paths: { '@secret': [path.join(outside, 'secret.ts')] } } }));
    const root = makeProject({
      'app/api/relay/route.ts': `import { handler } from '@/lib/secret';\nimport { handler as viaOutside } from '@secret';\nexport const POST = handler;\nexport const PUT = viaOutside;\n`,
      'tsconfig.json': JSON.stringify({ extends: path.join(outside, 'tsconfig.base.json'), compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    });
    mkdirSync(path.join(root, 'lib'));
    symlinkSync('/etc', path.join(root, 'etc'));
    symlinkSync('/etc/hostname', path.join(root, 'app/hostname.ts'));
    symlinkSync(path.join(outside, 'leak'), path.join(root, 'app/api/leak'));
    symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'lib/secret.ts'));
    const result = await scanProject(root);
    expect(errorFor(result, 'etc')?.message).toMatch(/outside the scanned root/);
    expect(errorFor(result, 'app/api/leak')?.message).toMatch(/outside the scanned root/);
    expect(errorFor(result, 'lib/secret.ts')?.kind).toBe('symlink');
    expect(errorFor(result, 'app/hostname.ts')?.kind).toBe('symlink');
    const files = new Set([...result.endpoints.map((e) => e.location.file), ...result.findings.map((f) => f.location.file)]);
    expect([...files]).toEqual(['app/api/chat/route.ts']);
  });

  it('a root reached through a symbolic link is scanned as usual', async () => {
    const root = makeProject({ 'lib/util.ts': 'export const one = 1;\n' });
    const alias = path.join(mkdtempSync(path.join(tmpdir(), 'aea-alias-')), 'project');
    symlinkSync(root, alias);
    const result = await scanProject(alias);
    expect(result.errors).toEqual([]);
    expect(result.stats.files).toBe(2);
  });

  it('a special file with a source name (a FIFO, which would block a read forever) is noted', async () => {
    // Tests may run as root, which chmod 000 does not stop; a named pipe cannot be read as a file by anyone.
    const root = makeProject();
    mkdirSync(path.join(root, 'app/api/pipe'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, 'app/api/pipe/route.ts')]);
    symlinkSync('./missing.ts', path.join(root, 'app/api/chat/dangling.ts'));
    const result = await scanProject(root);
    expect(errorFor(result, 'app/api/pipe/route.ts')).toMatchObject({ kind: 'unreadable', message: expect.stringMatching(/not a regular file/) });
    expect(errorFor(result, 'app/api/chat/dangling.ts')).toMatchObject({ kind: 'symlink', message: expect.stringMatching(/ENOENT/) });
  });

  const asRoot = process.getuid?.() === 0;
  it.skipIf(asRoot)(`a file without read permission is noted${asRoot ? ' (skipped: root reads any file; run as another user)' : ''}`, async () => {
    const root = makeProject({ 'lib/private.ts': 'export const secret = 1;\n' });
    chmodSync(path.join(root, 'lib/private.ts'), 0o000);
    const result = await scanProject(root);
    expect(errorFor(result, 'lib/private.ts')).toMatchObject({ kind: 'unreadable', message: expect.stringMatching(/EACCES/) });
  });

  it('a file deleted between discovery and reading is noted and the rest indexed', async () => {
    const root = makeProject({ 'lib/temporary.ts': 'export const value = 1;\n' });
    const discovery = await discover(root);
    expect(discovery.files).toContain(path.join(root, 'lib/temporary.ts'));
    unlinkSync(path.join(root, 'lib/temporary.ts'));
    const index = buildIndex(root, discovery.files);
    expect(index.errors).toEqual([{ file: 'lib/temporary.ts', kind: 'unreadable', message: expect.stringMatching(/deleted during the scan/) }]);
    expect([...index.files.values()].map((f) => f.relative)).toEqual(['app/api/chat/route.ts']);
  });

  it('a file swapped for a link between discovery and reading is not followed', async () => {
    const root = makeProject({ 'lib/config.ts': 'export const value = 1;\n' });
    const discovery = await discover(root);
    unlinkSync(path.join(root, 'lib/config.ts'));
    symlinkSync('/etc/hostname', path.join(root, 'lib/config.ts'));
    const index = buildIndex(root, discovery.files);
    expect(index.errors).toEqual([{ file: 'lib/config.ts', kind: 'symlink', message: 'symbolic link not followed' }]);
  });
});

describe('empty and missing', () => {
  it('an empty project scans to an empty result', async () => {
    const root = makeProject({}, false);
    const result = await scan({ paths: [root] });
    expect(result).toMatchObject({ endpoints: [], findings: [], errors: [], stats: { files: 0, analyzedFiles: 0 } });
  });

  it('a path that does not exist is a usage error', async () => {
    await expect(scan({ paths: [path.join(tmpdir(), 'aea-does-not-exist', 'nowhere')] })).rejects.toBeInstanceOf(ScanUsageError);
  });
});
