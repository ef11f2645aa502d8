import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { RULES } from '../../../rules/index.js';

it('every registered rule has its cases here, in <rule id>.test.ts', () => {
  const files = readdirSync(__dirname).filter((file) => file !== path.basename(__filename));
  expect(files.map((file) => file.replace(/\.test\.ts$/, '')).sort()).toEqual(RULES.map((rule) => rule.meta.id).sort());
});
