/** Every fixture project's scan against its expected.yaml (the format is described in fixture-suite.ts). */
import { describe, expect, it } from 'vitest';
import { RULES, scan } from '../src/index.js';
import { ALL_RULES, compareFixture, fixtureProjects, readExpected } from './fixture-suite.js';

describe('fixtures', () => {
  const projects = fixtureProjects();
  it('has fixture projects', () => {
    expect(projects.length).toBeGreaterThan(0);
  });

  it('runs every registered rule by default', () => {
    expect(RULES.map((r) => r.meta.id).sort()).toEqual([...ALL_RULES].sort());
  });

  for (const project of projects) {
    it(project, async () => {
      const expected = readExpected(project);
      expect(expected.endpoints, 'expected.yaml must list the endpoint inventory').toBeDefined();
      expect(expected.endpoints!.every((e) => e.calls && e.calls.length > 0), 'each expected endpoint lists the paid calls it reaches').toBe(true);
      for (const { what, actual, expected } of await compareFixture(project, scan)) expect(actual, what).toEqual(expected);
    });
  }
});
