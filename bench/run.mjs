#!/usr/bin/env node
/**
 * The benchmark: at each size, times the scanner against (a) reading every file and testing a regular expression,
 * (b) parsing every file with TypeScript's parser and (c) ESLint 9 with the typescript-eslint parser and one
 * trivial rule, on the same synthetic project, and prints a table of wall time, CPU time, peak memory and ratios.
 * Every tool runs as its own process; peak memory is that process's maximum resident set size.
 *
 *   npm run bench                              sizes 1000, 5000, 20000
 *   node bench/run.mjs --sizes 6300 --runs 3   other sizes; median of 3 runs (ESLint runs once)
 *   node bench/run.mjs --no-eslint             skip ESLint (the slowest by far)
 *   node bench/run.mjs --no-gnu-time           peak RSS from the process itself instead of /usr/bin/time
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, GENERATOR_VERSION } from './generate.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const WORK = path.join(os.tmpdir(), 'ai-endpoint-audit-bench');
const RSS_PRELOAD = path.join(HERE, 'report-rss.mjs');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const sizes = option('--sizes', '1000,5000,20000').split(',').map(Number);
const runs = Number(option('--runs', '1'));
const withEslint = !args.includes('--no-eslint');
const gnuTime = !args.includes('--no-gnu-time') && existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;

if (!existsSync(path.join(REPO, 'dist/src/cli/main.js'))) {
  console.error('Build first: npm run build (npm run bench does it).');
  process.exit(2);
}

/** Runs a command once; wall and CPU seconds, peak RSS in MB, and its stdout. */
function measure(command, commandArgs, cwd) {
  const timeFile = path.join(WORK, 'time.txt');
  rmSync(timeFile, { force: true });
  const started = process.hrtime.bigint();
  const child = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, command, ...commandArgs], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(command, ['--import', RSS_PRELOAD, ...commandArgs], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, BENCH_RSS_FILE: timeFile } });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0 && child.status !== 1) throw new Error(`${command} ${commandArgs.join(' ')} exited ${child.status}: ${child.stderr}`);
  const [user, system, maxRssKb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
  return { wall, cpu: user + system, rssMb: maxRssKb / 1024, stdout: child.stdout };
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a.wall - b.wall);
  return sorted[Math.floor(sorted.length / 2)];
}

function repeat(times, work) {
  return median(Array.from({ length: times }, work));
}

function project(size) {
  const dir = path.join(WORK, `n${size}`);
  const stamp = path.join(dir, '.bench-stamp');
  const wanted = `${GENERATOR_VERSION} ${size}`;
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    process.stderr.write(`generating ${size} files in ${dir}\n`);
    generate(dir, size);
    writeFileSync(stamp, wanted);
  }
  return dir;
}

function directoryMegabytes(dir) {
  const out = spawnSync('du', ['-sk', dir], { encoding: 'utf8' }).stdout;
  return out ? Number(out.split(/\s+/)[0]) / 1024 : NaN;
}

const node = process.execPath;
const cli = path.join(REPO, 'bin/ai-endpoint-audit.js');
const eslint = path.join(REPO, 'node_modules/eslint/bin/eslint.js');
const eslintConfig = path.join(HERE, 'eslint.config.mjs');

mkdirSync(WORK, { recursive: true });
const loadBefore = os.loadavg()[0];
const rows = [];
for (const size of sizes) {
  const dir = project(size);
  const report = path.join(WORK, 'report.json');
  process.stderr.write(`n=${size}: scanner\n`);
  const scanner = repeat(runs, () => measure(node, [cli, dir, '--format', 'json', '--output', report, '--fail-on', 'none'], REPO));
  const result = JSON.parse(readFileSync(report, 'utf8'));
  process.stderr.write(`n=${size}: read + regex, TypeScript parse\n`);
  const read = repeat(runs, () => measure(node, [path.join(HERE, 'parse-all.mjs'), dir, '--no-parse'], REPO));
  const parse = repeat(runs, () => measure(node, [path.join(HERE, 'parse-all.mjs'), dir], REPO));
  let lint;
  if (withEslint) {
    process.stderr.write(`n=${size}: ESLint\n`);
    lint = measure(node, [eslint, '--config', eslintConfig, '.'], dir);
  }
  rows.push({ size, files: result.stats.files, mb: directoryMegabytes(dir), analysed: result.stats.analyzedFiles, endpoints: result.endpoints.length, scanner, read, parse, lint });
}
const loadAfter = os.loadavg()[0];

const s = (x) => (x === undefined ? '–' : x.toFixed(2));
const mb = (x) => (x === undefined ? '–' : x.toFixed(0));
const ratio = (a, b) => (a === undefined || b === undefined ? '–' : `${(a.wall / b.wall).toFixed(2)}× / ${(a.cpu / b.cpu).toFixed(2)}×`);
const lines = [
  `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after; ${runs} run(s) each, median; peak RSS by ${gnuTime ? '/usr/bin/time' : 'process.resourceUsage()'}.`,
  '',
  'Times in seconds (wall / CPU = user + system), peak RSS in MB; ratios are scanner ÷ other tool, wall / CPU.',
  '',
  '| files | MB | parsed by scanner | endpoints | scanner | scanner RSS | read + regex | TS parse | TS parse RSS | ESLint | ESLint RSS | scanner ÷ TS parse | scanner ÷ ESLint | scanner wall ms per file |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => {
    const t = (m) => (m === undefined ? '–' : `${s(m.wall)} / ${s(m.cpu)}`);
    const cells = [r.files, r.mb.toFixed(0), r.analysed, r.endpoints, t(r.scanner), mb(r.scanner.rssMb), t(r.read), t(r.parse), mb(r.parse.rssMb), t(r.lint), mb(r.lint?.rssMb), ratio(r.scanner, r.parse), ratio(r.scanner, r.lint), ((r.scanner.wall * 1000) / r.files).toFixed(3)];
    return `| ${cells.join(' | ')} |`;
  }),
];
console.log(lines.join('\n'));
