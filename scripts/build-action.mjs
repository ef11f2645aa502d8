// `npm run build:action`: the GitHub Action's bundle, committed in action/dist so that the action runs with no install
// step. index.cjs is the tool (src/action/index.ts and everything it imports, dependencies included), minified;
// vendor/typescript.cjs is the compiler the tool loads beside it (see src/typescript.cjs), kept apart so that a
// change to the tool does not rewrite the 3.6 MB compiler in the history.
//
// `npm run check:action` (`--check`) builds into a scratch folder and fails when the committed bundle differs.
// The build is deterministic: paths in it are relative to the checkout, and nothing records a time.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { vendorTypeScript } from './vendor-typescript.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COMMITTED = path.join(REPO, 'action', 'dist');

// ESM sources load JSON files and lazy dependencies with createRequire(import.meta.url); in the bundle a plain
// require() lets esbuild include them.
const bundleModuleRequires = {
  name: 'bundle-module-requires',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('createRequire(import.meta.url)(')) return undefined;
      return { contents: source.replaceAll('createRequire(import.meta.url)(', 'require('), loader: 'ts' };
    });
  },
};

async function build(outdir) {
  await esbuild({
    entryPoints: [path.join(REPO, 'src', 'action', 'index.ts')],
    outfile: path.join(outdir, 'index.cjs'),
    absWorkingDir: REPO,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'eof',
    // node_modules may be a link to another checkout's: names in the bundle stay relative to this one.
    preserveSymlinks: true,
    // Found beside the bundle (vendor/typescript.cjs); the installed package only when run from the sources.
    external: ['typescript'],
    // version.ts and rules/types.ts find package.json and the rule pages from the bundle's folder, two levels down.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [bundleModuleRequires],
    logLevel: 'warning',
  });
  vendorTypeScript(path.join(outdir, 'vendor', 'typescript.cjs'));
}

function files(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

function differences(expectedDir, actualDir) {
  const expected = files(expectedDir);
  let actual = [];
  try {
    actual = files(actualDir);
  } catch {
    actual = [];
  }
  return [...new Set([...expected, ...actual])].sort().filter((file) => {
    if (!expected.includes(file) || !actual.includes(file)) return true;
    return !readFileSync(path.join(expectedDir, file)).equals(readFileSync(path.join(actualDir, file)));
  });
}

if (process.argv.includes('--check')) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'aea-action-build-'));
  try {
    await build(scratch);
    const stale = differences(scratch, COMMITTED);
    if (stale.length > 0) {
      console.error(`action/dist does not match the sources (${stale.join(', ')}): run npm run build:action and commit it`);
      process.exitCode = 1;
    } else {
      console.log('action/dist matches the sources');
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
} else {
  rmSync(COMMITTED, { recursive: true, force: true });
  await build(COMMITTED);
}
