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
 *   node bench/run.mjs --hostile               the resource bounds: hostile inputs (bench/hostile.mjs) against their targets
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, GENERATOR_VERSION } from './generate.mjs';
import { HOSTILE_CASES } from './hostile.mjs';

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
if (args.includes('--hostile')) {
  runHostile(option('--only', ''));
  process.exit(0);
}
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

/** The resource bounds: each hostile project scanned to a JSON report, against its time and memory targets. */
function runHostile(only) {
  const rows = [];
  for (const hostile of HOSTILE_CASES.filter((c) => !only || only.split(',').includes(c.name))) {
    const dir = path.join(WORK, `hostile-${hostile.name}`);
    const stamp = path.join(dir, '.bench-stamp');
    const wanted = JSON.stringify(hostile.sizes);
    if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
      process.stderr.write(`generating ${hostile.name} in ${dir}\n`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      hostile.make(dir, hostile.sizes);
      writeFileSync(stamp, wanted);
    }
    const report = path.join(WORK, 'hostile-report.json');
    process.stderr.write(`${hostile.name}: scanner\n`);
    const run = repeat(runs, () => measure(node, [cli, dir, '--format', 'json', '--output', report, '--fail-on', 'none', '--quiet'], REPO));
    const bytes = statSync(report).size;
    const { endpoints, budgets } = countReport(report);
    const met = (hostile.seconds === undefined || run.wall <= hostile.seconds) && (hostile.megabytes === undefined || run.rssMb <= hostile.megabytes);
    const target = [hostile.seconds && `≤ ${hostile.seconds} s`, hostile.megabytes && `≤ ${hostile.megabytes} MB`].filter(Boolean).join(', ') || 'report written';
    rows.push(`| ${hostile.what} | ${target} | ${run.wall.toFixed(2)} / ${run.cpu.toFixed(2)} | ${run.rssMb.toFixed(0)} | ${endpoints} | ${(bytes / 1e6).toFixed(1)} | ${budgets} | ${met ? 'yes' : '**no**'} |`);
  }
  console.log(
    [
      `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}; load average ${os.loadavg()[0].toFixed(1)}; ${runs} run(s) each, median; peak RSS by ${gnuTime ? '/usr/bin/time' : 'process.resourceUsage()'}.`,
      '',
      '| input | target | wall / CPU s | peak RSS MB | endpoints | report MB | budget notes | met? |',
      '|---|---|---:|---:|---:|---:|---:|---|',
      ...rows,
    ].join('\n'),
  );
}

/**
 * Endpoints and budget notes in a JSON report, read line by line: a report of 100,000 routes is longer than a
 * string can be, so it cannot be read whole, let alone parsed.
 */
function countReport(file) {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 24);
  let section = '';
  let rest = '';
  let endpoints = 0;
  let budgets = 0;
  for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) {
    const lines = (rest + buffer.toString('utf8', 0, read)).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      const key = /^  "(\w+)": /.exec(line);
      if (key) section = key[1];
      else if (section === 'endpoints' && line === '    {') endpoints++;
      else if (section === 'errors' && line === '      "kind": "budget",') budgets++;
    }
  }
  closeSync(fd);
  return { endpoints, budgets };
}
