/**
 * Fuzzing: the fixtures' source files, mutated a few thousand times with a fixed seed (truncated, cut, blocks
 * duplicated, tokens spliced in, lines swapped, odd characters), are scanned next to the rest of their project.
 * The scanner must never throw out of its API, must always produce reports, and must stay within a bounded time.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJson, renderSarif, scan } from '../../src/index.js';
import { random } from './random.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const SEED = 20240607;
const MUTATIONS = 2000;
const VARIANTS_PER_SCAN = 25;
/** Per file, generously above the few milliseconds a file takes, to stay meaningful on a busy machine. */
const MAX_MS_PER_FILE = 2000;

const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs)$/;
const TOKENS = ['{', '}', '(', ')', '[', ']', '=>', 'await', 'return', ';', "'", '"', '`', '${', '/*', '*/', '//', '<div>', '</div>', 'as', 'export', 'import', 'from', '...', '?.', 'async', 'function', 'class', 'new', 'req.body', 'req.json()', 'openai.chat.completions.create(', 'app.post(', 'router.use(', 'if (', 'else', 'throw', 'yield', '@', '#', '\\', '\n', '\u2028', '\uFEFF', '\uD800', '0x', '1e999', '/[a-z', 'satisfies', 'enum', 'namespace'];

interface Project {
  dir: string;
  sources: string[];
}

function fixtureProjects(): Project[] {
  const projects: Project[] = [];
  for (const group of readdirSync(FIXTURES).sort()) {
    for (const variant of readdirSync(path.join(FIXTURES, group)).sort()) {
      const dir = path.join(FIXTURES, group, variant);
      if (!statSync(dir).isDirectory()) continue;
      const sources = listSources(dir);
      if (sources.length) projects.push({ dir, sources });
    }
  }
  return projects;
}

function listSources(dir: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...listSources(dir, relative));
    else if (entry.isFile() && SOURCE.test(entry.name)) found.push(relative);
  }
  return found.sort();
}

function mutate(text: string, donor: string, next: () => number): string {
  const at = (s: string) => Math.floor(next() * (s.length + 1));
  let out = text;
  const operations = 1 + Math.floor(next() * 3);
  for (let i = 0; i < operations; i++) {
    const p = at(out);
    switch (Math.floor(next() * 7)) {
      case 0:
        out = out.slice(0, p);
        break;
      case 1:
        out = out.slice(0, p) + out.slice(p + Math.floor(next() * 200));
        break;
      case 2: {
        const start = at(out);
        const block = out.slice(start, start + Math.floor(next() * 400));
        out = out.slice(0, p) + block + out.slice(p);
        break;
      }
      case 3: {
        const tokens = Array.from({ length: 1 + Math.floor(next() * 6) }, () => TOKENS[Math.floor(next() * TOKENS.length)]);
        out = out.slice(0, p) + tokens.join(' ') + out.slice(p);
        break;
      }
      case 4: {
        const start = at(donor);
        out = out.slice(0, p) + donor.slice(start, start + Math.floor(next() * 300)) + out.slice(p);
        break;
      }
      case 5: {
        const lines = out.split('\n');
        const a = Math.floor(next() * lines.length);
        const b = Math.floor(next() * lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        out = lines.join('\n');
        break;
      }
      default:
        out = out.slice(0, p) + String.fromCharCode(Math.floor(next() * 0x3000)) + out.slice(p + 1);
    }
  }
  return out;
}

/** Where a variant goes: a sibling folder for `route.ts`-style files (so it stays a route), else a sibling name. */
function variantPath(file: string, k: number): string {
  const dir = path.dirname(file);
  const ext = path.extname(file);
  const base = path.basename(file, ext);
  if (base === 'route' || base === 'page') return path.join(`${dir}-fuzz${k}`, `${base}${ext}`);
  return path.join(dir, `${base}-fuzz${k}${ext}`);
}

const workDirs: string[] = [];
afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

describe('fuzzing', () => {
  it(`survives ${MUTATIONS} mutations of the fixtures (seed ${SEED})`, async () => {
    const next = random(SEED);
    const projects = fixtureProjects();
    const texts = new Map<string, string>();
    for (const project of projects) for (const file of project.sources) texts.set(path.join(project.dir, file), readFileSync(path.join(project.dir, file), 'utf8'));
    const allTexts = [...texts.values()];
    const internal: string[] = [];
    let slowest = 0;
    for (let done = 0, round = 0; done < MUTATIONS; round++) {
      const project = projects[round % projects.length];
      const work = mkdtempSync(path.join(tmpdir(), 'aea-fuzz-'));
      workDirs.push(work);
      cpSync(project.dir, work, { recursive: true });
      const variants = Math.min(VARIANTS_PER_SCAN, MUTATIONS - done);
      for (let k = 0; k < variants; k++) {
        const file = project.sources[Math.floor(next() * project.sources.length)];
        const text = texts.get(path.join(project.dir, file))!;
        const target = path.join(work, variantPath(file, k));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, mutate(text, allTexts[Math.floor(next() * allTexts.length)], next));
      }
      const started = performance.now();
      const result = await scan({ paths: [work] });
      expect(() => renderJson(result)).not.toThrow();
      expect(() => renderSarif(result)).not.toThrow();
      const elapsed = performance.now() - started;
      slowest = Math.max(slowest, elapsed / variants);
      expect(elapsed, `round ${round} in ${project.dir}`).toBeLessThan(MAX_MS_PER_FILE * (variants + project.sources.length));
      internal.push(...result.errors.filter((e) => e.kind === 'internal').map((e) => `${path.relative(FIXTURES, project.dir)}: ${e.message}`));
      rmSync(work, { recursive: true, force: true });
      done += variants;
    }
    expect(internal).toEqual([]);
    expect(slowest).toBeLessThan(MAX_MS_PER_FILE);
  }, 300_000);
});
