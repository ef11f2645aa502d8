/**
 * Every project under fixtures/ (a `vulnerable` and a `fixed` variant each) carries an expected.yaml
 * with the exact findings the scanner must report: rule, file and line. Nothing more, nothing less,
 * for the rules the file lists under `rules:` (by default the core rules).
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scan } from '../src/index.js';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const CORE_RULES = ['no-auth', 'no-rate-limit', 'client-keyed-rate-limit', 'no-spend-cap', 'unbounded-input'];

interface Expected {
  description?: string;
  rules?: string[];
  findings?: { rule: string; file: string; line: number }[];
}

function fixtureProjects(): string[] {
  const found: string[] = [];
  for (const group of readdirSync(FIXTURES).sort()) {
    const groupDir = path.join(FIXTURES, group);
    if (!statSync(groupDir).isDirectory()) continue;
    for (const variant of readdirSync(groupDir).sort()) {
      if (existsSync(path.join(groupDir, variant, 'expected.yaml'))) found.push(path.join(group, variant));
    }
  }
  return found;
}

const key = (f: { rule: string; file: string; line: number }) => `${f.rule} ${f.file}:${f.line}`;

describe('fixtures', () => {
  const projects = fixtureProjects();
  it('has fixture projects', () => {
    expect(projects.length).toBeGreaterThan(0);
  });
  for (const project of projects) {
    it(project, async () => {
      const dir = path.join(FIXTURES, project);
      const expected = parse(readFileSync(path.join(dir, 'expected.yaml'), 'utf8')) as Expected;
      const rules = new Set(expected.rules ?? CORE_RULES);
      const result = await scan({ paths: [dir] });
      const actual = result.findings
        .filter((f) => rules.has(f.ruleId))
        .map((f) => key({ rule: f.ruleId, file: f.location.file, line: f.location.line }))
        .sort();
      const wanted = (expected.findings ?? []).filter((f) => rules.has(f.rule)).map(key).sort();
      expect(actual).toEqual(wanted);
    });
  }
});
