/**
 * Resource bounds on hostile input. Each test builds a small version of an input that once cost minutes or
 * gigabytes (bench/hostile.mjs builds them at full size for the bench) and checks the bound by counting work,
 * not by timing it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import { buildIndex } from '../../src/pipeline/build-index.js';
import { discover } from '../../src/discover/discover.js';
import { createParsedProject, MAX_MODULE_SUFFIXES, MAX_PATHS_TARGETS, MAX_PROBES_PER_SPECIFIER } from '../../src/parse/program.js';
import type { ScanError } from '../../src/model.js';
import { manyPaidCallsProject, manyRoutesProject, pathsProject } from '../../bench/hostile.mjs';
import { MAX_ROUTES_PER_FILE } from '../../src/pipeline/deep-stage.js';
import { MAX_PAID_CALLS_PER_ROUTE } from '../../src/facts/facts.js';
import { makeProject, removeProjects } from './project.js';

afterAll(removeProjects);

function hostileRoot(): string {
  return makeProject({}, false);
}

async function parsedProject(root: string) {
  const errors: ScanError[] = [];
  const project = createParsedProject(buildIndex(root, (await discover(root)).files), errors);
  return { project, errors };
}

describe('module resolution', () => {
  it('tries a bounded number of paths per import, whatever the tsconfig lists, and says what it cut', async () => {
    const imports = 3;
    const root = pathsProject(hostileRoot(), { targets: 200, suffixes: 40, imports });
    const { project, errors } = await parsedProject(root);
    const route = path.join(root, 'app/api/chat/route.ts');
    for (let i = 0; i < imports; i++) expect(project.resolveImport(`@x/m${i}`, route)).toBeUndefined();
    const { resolutions, probes } = project.resolutionCost();
    expect(resolutions).toBe(imports);
    // Unbounded, each import asks 200 targets × 40 suffixes × several extensions: tens of thousands of probes.
    expect(probes).toBeGreaterThan(0);
    expect(probes).toBeLessThanOrEqual(imports * MAX_PROBES_PER_SPECIFIER);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'tsconfig.json', kind: 'budget', message: expect.stringContaining(`first ${MAX_PATHS_TARGETS}`) }),
        expect.objectContaining({ file: 'tsconfig.json', kind: 'budget', message: expect.stringContaining(`first ${MAX_MODULE_SUFFIXES}`) }),
      ]),
    );
  });

  it('resolves a specifier once per folder, however many files import it', async () => {
    const root = pathsProject(hostileRoot(), { patterns: 3_000, imports: 2 });
    const { project } = await parsedProject(root);
    for (const file of ['a.ts', 'b.ts', 'c.ts']) project.resolveImport('@x/m0', path.join(root, 'app/api/chat', file));
    expect(project.resolutionCost().resolutions).toBe(1);
  });

  it('still resolves an alias through its first targets, and the scan reports the route behind the hostile tsconfig', async () => {
    const root = pathsProject(hostileRoot(), { targets: 40, suffixes: 20, imports: 2 });
    mkdirSync(path.join(root, 't1'));
    writeFileSync(path.join(root, 't1/present.ts'), 'export const present = 1;\n');
    const { project } = await parsedProject(root);
    expect(project.resolveImport('@x/present', path.join(root, 'app/api/chat/route.ts'))).toBe(path.join(root, 't1/present.ts'));
    const result = await scan({ paths: [root] });
    expect(result.findings.some((f) => f.ruleId === 'no-auth' && f.location.file === 'app/api/chat/route.ts')).toBe(true);
  });
});

describe('analysis budgets', () => {
  it('analyses a bounded number of routes per file and notes the rest', async () => {
    const extra = 3;
    const root = manyRoutesProject(hostileRoot(), { files: 1, routes: MAX_ROUTES_PER_FILE + extra });
    const result = await scan({ paths: [root] });
    expect(result.endpoints.filter((e) => e.location.file === 'server0.ts')).toHaveLength(MAX_ROUTES_PER_FILE);
    expect(result.errors).toContainEqual(
      expect.objectContaining({ file: 'server0.ts', kind: 'budget', message: expect.stringContaining(`${MAX_ROUTES_PER_FILE + extra} routes registered`) }),
    );
  });

  it('analyses a bounded number of paid calls per route and says findings on the others may be missing', async () => {
    const root = manyPaidCallsProject(hostileRoot(), { calls: MAX_PAID_CALLS_PER_ROUTE + 6 });
    const result = await scan({ paths: [root] });
    const [endpoint] = result.endpoints;
    expect(endpoint?.aiCalls).toHaveLength(MAX_PAID_CALLS_PER_ROUTE);
    expect(result.findings.some((f) => f.ruleId === 'no-auth')).toBe(true);
    expect(result.errors).toContainEqual(
      expect.objectContaining({ file: 'app/api/chat/route.ts', line: 3, kind: 'budget', message: expect.stringContaining(`${MAX_PAID_CALLS_PER_ROUTE + 6} paid calls`) }),
    );
  });
});
