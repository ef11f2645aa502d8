#!/usr/bin/env node
/**
 * The production install size of the package as published: `npm pack`, the tarball installed into an empty
 * folder with `npm install --omit=dev --ignore-scripts`, then the size of that folder's node_modules, with the
 * largest packages. Exits 1 when the size on disk, as `du -sh node_modules` counts it (whole 4 KiB blocks), is above
 * the budget.
 *
 *   npm run size                          packs (the prepack script builds first) and measures
 *   node scripts/install-size.mjs --ignore-scripts   packs the current dist/ without rebuilding
 *   node scripts/install-size.mjs --budget-mb 12
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUDGET_MB = 12;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MB = 1024 * 1024;

/** Bytes on disk (rounded up to 4 KiB blocks, as `du` counts them) and apparent bytes under a folder. */
export function folderSize(folder) {
  let disk = 0;
  let apparent = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      const inner = folderSize(full);
      disk += inner.disk + 4096;
      apparent += inner.apparent;
    } else {
      const size = lstatSync(full).size;
      disk += Math.ceil(size / 4096) * 4096;
      apparent += size;
    }
  }
  return { disk, apparent };
}

/** The installed packages of a node_modules folder with their apparent size, largest first. */
export function packageSizes(nodeModules) {
  const packages = [];
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    const folders = name.startsWith('@') ? readdirSync(path.join(nodeModules, name)).map((inner) => `${name}/${inner}`) : [name];
    for (const folder of folders) packages.push({ name: folder, bytes: folderSize(path.join(nodeModules, folder)).apparent });
  }
  return packages.sort((a, b) => b.bytes - a.bytes);
}

/** Packs the repository and installs the tarball for production into a new empty folder; returns that folder. */
export function installPacked({ ignoreScripts = false } = {}) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'aea-size-'));
  const packArgs = ['pack', '--json', '--pack-destination', scratch, ...(ignoreScripts ? ['--ignore-scripts'] : [])];
  const [packed] = JSON.parse(execFileSync(NPM, packArgs, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  const consumer = path.join(scratch, 'consumer');
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const install = ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', path.join(scratch, packed.filename)];
  execFileSync(NPM, install, { cwd: consumer, stdio: ['ignore', 'ignore', 'inherit'] });
  return { scratch, consumer, packed };
}

function main(args) {
  const budgetIndex = args.indexOf('--budget-mb');
  const budget = budgetIndex === -1 ? BUDGET_MB : Number(args[budgetIndex + 1]);
  const { scratch, consumer, packed } = installPacked({ ignoreScripts: args.includes('--ignore-scripts') });
  try {
    const nodeModules = path.join(consumer, 'node_modules');
    const { disk, apparent } = folderSize(nodeModules);
    console.log(`${packed.filename}: ${(packed.size / 1024).toFixed(0)} kB packed, ${packed.entryCount} files`);
    console.log(`production install: ${(disk / MB).toFixed(1)} MB on disk (du), ${(apparent / MB).toFixed(1)} MB of files; budget ${budget} MB`);
    for (const { name, bytes } of packageSizes(nodeModules).slice(0, 8)) console.log(`  ${(bytes / MB).toFixed(2).padStart(6)} MB  ${name}`);
    return disk <= budget * MB ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
