/**
 * Discovery: which files a scan reads. Dependencies, build output at a project root, the project's .gitignore
 * files and generated names are skipped and counted; ignore globs relative to the root or to a config file's
 * folder (above, at or below the root); folders that cannot be read.
 */
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/discover.js';
import { makeProject, removeProjects } from '../robustness/project.js';

afterAll(removeProjects);

const TREE = {
  'app/api/chat/route.ts': '',
  'app/[team]/api/ask/route.ts': '',
  'app/(marketing)/page.tsx': '',
  'lib/ai.ts': '',
  'lib/ai.test.ts': '',
  'lib/types.d.ts': '',
  'public/vendor.min.js': '',
  'public/app.bundle.js': '',
  'public/logo.svg': '',
  'node_modules/openai/index.js': '',
  'packages/x/node_modules/y/index.ts': '',
  'packages/x/package.json': '{}',
  'packages/x/dist/index.js': '',
  'app/api/build/route.ts': '',
  'lib/out/format.ts': '',
  'packages/x/src/index.mts': '',
  '.next/server/app.js': '',
  '.hidden/tool.ts': '',
  'coverage/lcov.js': '',
  'scripts/seed.cjs': '',
};

const relativeFiles = async (root: string, ignore: Parameters<typeof discover>[1] = []) =>
  (await discover(root, ignore)).files.map((file) => path.relative(root, file).split(path.sep).join('/'));

describe('discover', () => {
  it('lists source files, sorted, without dependencies, build output at a project root or generated names', async () => {
    expect(await relativeFiles(makeProject(TREE, false))).toEqual([
      '.hidden/tool.ts',
      'app/(marketing)/page.tsx',
      'app/[team]/api/ask/route.ts',
      'app/api/build/route.ts',
      'app/api/chat/route.ts',
      'lib/ai.test.ts',
      'lib/ai.ts',
      'lib/out/format.ts',
      'packages/x/src/index.mts',
      'scripts/seed.cjs',
    ]);
  });

  it('counts what it skips by reason, and never counts dependencies', async () => {
    const { skipped } = await discover(makeProject(TREE, false));
    expect(skipped.map((s) => `${s.reason} ${s.relative} ${s.files}`).sort()).toEqual([
      'build-output .next 1',
      'build-output coverage 1',
      'build-output packages/x/dist 1',
      'declaration lib/types.d.ts 1',
      'generated public/app.bundle.js 1',
      'generated public/vendor.min.js 1',
    ]);
  });

  it("skips what the project's .gitignore files exclude, each relative to its folder, deeper ones overriding", async () => {
    const root = makeProject(
      {
        '.gitignore': 'generated/\n*.local.ts\n/scripts\n',
        'app/api/chat/route.ts': '',
        'app/api/chat/keys.local.ts': '',
        'generated/client.ts': '',
        'generated/nested/more.ts': '',
        'scripts/seed.ts': '',
        'web/scripts/run.ts': '',
        'web/.gitignore': 'tmp\n!keep.local.ts\n',
        'web/tmp/a.ts': '',
        'web/keep.local.ts': '',
        'web/drop.local.ts': '',
      },
      false,
    );
    const discovery = await discover(root);
    expect(discovery.files.map((file) => path.relative(root, file).split(path.sep).join('/'))).toEqual(['app/api/chat/route.ts', 'web/keep.local.ts', 'web/scripts/run.ts']);
    expect(discovery.skipped.map((s) => `${s.reason} ${s.relative} ${s.files}`).sort()).toEqual([
      'gitignored app/api/chat/keys.local.ts 1',
      'gitignored generated 2',
      'gitignored scripts 1',
      'gitignored web/drop.local.ts 1',
      'gitignored web/tmp 1',
    ]);
  });

  it('applies the .gitignore files above the root up to the repository top level, and none above it', async () => {
    const outside = makeProject({ '.gitignore': '*.ts\n', 'repo/.git/HEAD': '', 'repo/.gitignore': 'drafts/\n', 'repo/web/drafts/a.ts': '', 'repo/web/app.ts': '' }, false);
    expect(await relativeFiles(path.join(outside, 'repo/web'))).toEqual(['app.ts']);
  });

  it('never skips a named path as build output or gitignored: scanning dist/ scans it', async () => {
    const root = makeProject({ '.gitignore': 'dist/\n', 'dist/server.js': '', 'build/x.js': '' }, false);
    expect((await discover(root, [], { targets: [path.join(root, 'dist')] })).files.map((file) => path.relative(root, file))).toEqual([path.join('dist', 'server.js')]);
  });

  it('ignore globs relative to the root skip files and whole folders', async () => {
    const root = makeProject(TREE, false);
    expect(await relativeFiles(root, ['**/*.test.ts', 'scripts/**', 'app/[[]team]/**', '.hidden/**', '**/out/**', 'app/api/build/**'])).toEqual([
      'app/(marketing)/page.tsx',
      'app/api/chat/route.ts',
      'lib/ai.ts',
      'packages/x/src/index.mts',
    ]);
  });

  it('globs relative to a folder above the root, such as a config at the repository root', async () => {
    const repository = makeProject(Object.fromEntries(Object.entries(TREE).map(([file, text]) => [`web/${file}`, text])), false);
    const root = path.join(repository, 'web');
    expect(await relativeFiles(root, [{ base: repository, patterns: ['web/lib/**', 'lib/**', '**/page.tsx', 'web/.hidden/**', 'web/app/api/build/**'] }])).toEqual([
      'app/[team]/api/ask/route.ts',
      'app/api/chat/route.ts',
      'packages/x/src/index.mts',
      'scripts/seed.cjs',
    ]);
  });

  it('globs relative to a folder inside the root apply to that folder only', async () => {
    const root = makeProject(TREE, false);
    expect(await relativeFiles(root, [{ base: path.join(root, 'app/[team]'), patterns: ['api/**'] }])).toEqual([
      '.hidden/tool.ts',
      'app/(marketing)/page.tsx',
      'app/api/build/route.ts',
      'app/api/chat/route.ts',
      'lib/ai.test.ts',
      'lib/ai.ts',
      'lib/out/format.ts',
      'packages/x/src/index.mts',
      'scripts/seed.cjs',
    ]);
  });

  it('notes the folders it listed and the compiler configs in them, for module resolution', async () => {
    const root = makeProject({ ...TREE, 'tsconfig.json': '{}', 'packages/x/jsconfig.json': '{}', 'node_modules/y/tsconfig.json': '{}' }, false);
    const { layout } = await discover(root);
    expect([...layout.compilerConfigs].map((file) => path.relative(root, file)).sort()).toEqual([path.join('packages', 'x', 'jsconfig.json'), 'tsconfig.json']);
    expect(layout.folders.has(path.join(root, 'packages/x/src'))).toBe(true);
    expect(layout.folders.has(path.join(root, 'node_modules'))).toBe(false);
  });

  it('notes the deployment descriptors in the folders it listed, even outside the scanned project', async () => {
    const root = makeProject({ ...TREE, 'serverless.yml': 'service: x\n', 'packages/x/template.yaml': 'Resources: {}\n' }, false);
    const { layout } = await discover(root, [], { within: [path.join(root, 'packages/x')] });
    expect([...(layout.descriptors ?? [])].map((file) => path.relative(root, file)).sort()).toEqual([path.join('packages', 'x', 'template.yaml'), 'serverless.yml']);
  });

  const asRoot = process.getuid?.() === 0;
  it.skipIf(asRoot)(`a folder that cannot be read is noted and the rest discovered${asRoot ? ' (skipped: root reads any folder; run as another user)' : ''}`, async () => {
    const root = makeProject({ 'lib/ai.ts': '', 'private/key.ts': '' }, false);
    chmodSync(path.join(root, 'private'), 0o000);
    try {
      const discovery = await discover(root);
      expect(discovery.files.map((file) => path.relative(root, file))).toEqual([path.join('lib', 'ai.ts')]);
      expect(discovery.errors).toEqual([{ file: 'private', kind: 'unreadable', message: 'folder not read: EACCES' }]);
    } finally {
      chmodSync(path.join(root, 'private'), 0o755);
    }
  });
});
