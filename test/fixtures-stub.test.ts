/**
 * The fixture suite must fail on a scanner that finds nothing: with the framework registry emptied (no route
 * found) or the provider registry emptied (no paid call found), every fixture that expects an endpoint fails.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { compareFixture, fixtureProjects, readExpected } from './fixture-suite.js';

type Registry = 'frameworks' | 'providers';

/** The public scan, loaded afresh with one plugin registry empty. */
async function scanWithout(registry: Registry) {
  vi.resetModules();
  vi.doMock('../src/frameworks/index.js', async (importOriginal) => {
    const real = await importOriginal<typeof import('../src/frameworks/index.js')>();
    return registry === 'frameworks' ? { ...real, FRAMEWORKS: [] } : real;
  });
  vi.doMock('../src/providers/index.js', async (importOriginal) => {
    const real = await importOriginal<typeof import('../src/providers/index.js')>();
    return registry === 'providers' ? { ...real, PROVIDERS: [], SDK_MODULES: new Set<string>() } : real;
  });
  try {
    return (await import('../src/index.js')).scan;
  } finally {
    vi.doUnmock('../src/frameworks/index.js');
    vi.doUnmock('../src/providers/index.js');
  }
}

const withEndpoints = fixtureProjects().filter((project) => (readExpected(project).endpoints ?? []).length > 0);

describe('the fixture suite on a scanner that finds nothing', () => {
  it('has fixtures that expect endpoints', () => {
    expect(withEndpoints.length).toBeGreaterThan(0);
  });

  for (const registry of ['frameworks', 'providers'] as const) {
    it(`fails every fixture that expects an endpoint when the ${registry} registry is empty`, async () => {
      const scan = await scanWithout(registry);
      const passing: string[] = [];
      for (const project of withEndpoints) {
        const comparisons = await compareFixture(project, scan);
        if (comparisons.every((c) => isDeepStrictEqual(c.actual, c.expected))) passing.push(project);
      }
      expect(passing).toEqual([]);
    });
  }
});
