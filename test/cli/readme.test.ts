/** The CI examples users copy: a maintained Node line and a pinned package version, in the README and docs/ci.md. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };

describe.each(['README.md', 'docs/ci.md'])('%s', (file) => {
  const text = readFileSync(path.join(REPO, file), 'utf8');

  it('sets up Node 22 or 24 in its workflows', () => {
    const versions = [...text.matchAll(/node-version:\s*(\S+)/g)].map((m) => m[1]);
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) expect(['22', '24']).toContain(version);
  });

  it('runs the package in CI pinned to the current version', () => {
    const runs = [...text.matchAll(/npx --yes ai-endpoint-audit(\S*)/g)].map((m) => m[1]);
    expect(runs.length).toBeGreaterThan(0);
    for (const pinned of runs) expect(pinned).toBe(`@${pkg.version}`);
  });
});
