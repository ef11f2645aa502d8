/**
 * `npm test` stays the fast in-process loop: a test file that runs the built CLI in a child process belongs to
 * `npm run test:integration`, which builds first (INTEGRATION_TESTS in vitest.config.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTEGRATION_TESTS } from '../vitest.config.js';

const REPO = path.resolve(__dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return testFiles(relative);
    return entry.name.endsWith('.test.ts') ? [relative] : [];
  });
}

describe('the split between npm test and npm run test:integration', () => {
  it('puts every test file that spawns the built CLI in the integration list', () => {
    // The CLI directly, or through a module that runs it: the ESLint preset, the README samples script.
    const spawning = testFiles('test').filter((file) => /\brunCli\(|\bBIN\b|src\/eslint\/index\.js|scripts\/readme-samples\.mjs/.test(readFileSync(path.join(REPO, file), 'utf8')));
    expect(spawning.length).toBeGreaterThan(5);
    expect(spawning.filter((file) => !INTEGRATION_TESTS.includes(file))).toEqual([]);
  });

  it('lists only test files that exist', () => {
    const files = new Set(testFiles('test'));
    expect(INTEGRATION_TESTS.filter((file) => !files.has(file))).toEqual([]);
  });
});
