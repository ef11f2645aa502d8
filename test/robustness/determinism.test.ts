/**
 * Two runs over the same tree produce byte-identical JSON and SARIF, apart from the timing field
 * (`stats.durationMs`): every fixture at once, plus a tree full of odd files (errors are part of the output).
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJson, renderSarif, scan } from '../../src/index.js';
import type { ScanResult } from '../../src/model.js';
import { makeProject, removeProjects, VULNERABLE_ROUTE } from './project.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const copies: string[] = [];
afterAll(() => {
  removeProjects();
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** Several fixture projects side by side under one root (a monorepo of them). */
function fixtureMonorepo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'aea-determinism-'));
  copies.push(root);
  for (const group of readdirSync(FIXTURES).sort().filter((g) => /^(express|next)-/.test(g))) {
    cpSync(path.join(FIXTURES, group), path.join(root, group), { recursive: true });
  }
  return root;
}

function withoutTiming(result: ScanResult): ScanResult {
  return { ...result, stats: { ...result.stats, durationMs: 0 } };
}

async function twice(paths: string[]): Promise<[ScanResult, ScanResult]> {
  const first = await scan({ paths });
  const second = await scan({ paths });
  return [withoutTiming(first), withoutTiming(second)];
}

describe('deterministic output', () => {
  it('the Express and Next.js fixtures, scanned twice as one tree, give byte-identical JSON and SARIF', async () => {
    const [first, second] = await twice([fixtureMonorepo()]);
    expect(first.endpoints.length).toBeGreaterThan(10);
    expect(renderJson(second)).toBe(renderJson(first));
    expect(renderSarif(second)).toBe(renderSarif(first));
  });

  it('a tree of odd files, scanned twice, gives byte-identical reports and errors', async () => {
    const root = makeProject({
      'app/api/broken/route.ts': "import OpenAI from 'openai';\nexport async function POST( {\n",
      'app/api/second/route.ts': VULNERABLE_ROUTE,
      'lib/blob.ts': Buffer.from([0, 1, 2, 3, 0, 0xff]),
      'lib/latin.ts': Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0x0a]),
      'public/vendor.js': `var a=${'1+'.repeat(5000)}1;`,
    });
    symlinkSync('.', path.join(root, 'app/loop'));
    const [first, second] = await twice([root]);
    expect(first.errors.map((e) => e.kind).sort()).toEqual(['binary', 'encoding', 'minified', 'symlink', 'syntax']);
    expect(renderJson(second)).toBe(renderJson(first));
    expect(renderSarif(second)).toBe(renderSarif(first));
  });
});
