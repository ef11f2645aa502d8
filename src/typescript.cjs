'use strict';
// TypeScript's compiler API, from the `typescript` package's public entry point: the one version that builds the
// tool also parses the scanned code. The build puts a minified copy of it in vendor/ beside this file (see
// scripts/vendor-typescript.mjs), so the published package does not depend on the whole `typescript` package;
// run from the sources (tests), it is the installed package.
//
// Compiling its 9 MB is most of a scan's start-up, so the compiled code is kept in V8's code cache, the way
// Node 22's module.enableCompileCache() does for every module: in node_modules/.cache/ai-endpoint-audit,
// beside the packages it was compiled from. V8 checks the cache against the source and its own version and
// flags, and compiles afresh when it does not match; a cache that cannot be read or written is skipped.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire, wrap } = require('node:module');
const { isMainThread } = require('node:worker_threads');

const vendored = path.join(__dirname, 'vendor', 'typescript.cjs');
const typescriptFile = fs.existsSync(vendored) ? vendored : require.resolve('typescript');

function loadWithCodeCache(file) {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = codeCacheFile(file);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrap(source), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  if (isMainThread && (cachedData === undefined || script.cachedDataRejected)) {
    // Written on exit, so the functions the scan compiled are in it too.
    process.once('exit', () => writeAtomically(cacheFile, script.createCachedData()));
  }
  return module.exports;
}

/** The installation's node_modules: the nearest one above the file, else the checkout's. */
function nodeModulesOf(file) {
  const parts = file.split(path.sep);
  const last = parts.lastIndexOf('node_modules');
  return last === -1 ? path.resolve(__dirname, '..', '..', 'node_modules') : parts.slice(0, last + 1).join(path.sep);
}

/** node_modules/.cache/ai-endpoint-audit/typescript-<node>-<size>-<mtime>.bin */
function codeCacheFile(file) {
  const nodeModules = nodeModulesOf(file);
  const stats = fs.statSync(file);
  const key = `${process.version}-${process.arch}-${stats.size}-${Math.round(stats.mtimeMs)}`;
  return path.join(nodeModules, '.cache', 'ai-endpoint-audit', `typescript-${key}.bin`);
}

function writeAtomically(file, data) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
  } catch {
    // A read-only install runs without the cache.
  }
}

let typescript;
try {
  typescript = loadWithCodeCache(typescriptFile);
} catch {
  typescript = require(typescriptFile);
}
// The bundle exports its API through getters, so every `ts.isCallExpression` or `ts.SyntaxKind` the analyses
// evaluate (millions in a scan) is a function call. A copy holds the same values as plain properties.
module.exports = Object.assign({}, typescript);
