/**
 * The README's sample output is what the scanner prints on the bundled demo today: a change to the report or to
 * the demo that is not carried into the README (`npm run readme:samples`) fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';
// @ts-expect-error: a plain ESM script, without type declarations
import { DEMO, readmeBlock, samples } from '../../scripts/readme-samples.mjs';

describe('README samples', () => {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const current = samples() as Record<'text' | 'json', string>;

  it('opens with the command that scans the demo the samples come from', () => {
    const command = /```sh\n([^\n]*)\n/.exec(readme)?.[1] ?? '';
    expect(command).toMatch(new RegExp(`^npm ci && npm run build && npx ai-endpoint-audit ${DEMO}\\s`));
  });

  it.each(['text', 'json'] as const)('the %s sample is a real run on the demo', (name) => {
    expect(readmeBlock(readme, name)).toBe(current[name]);
  });

  it('the text sample shows the exposure with its factors and the endpoint inventory', () => {
    expect(current.text).toMatch(/exposure: up to ~\$[\d,]+\/day \(gpt-4; \$[\d.]+\/request × [\d,]+ requests\/day\)/);
    expect(current.text).toContain('POST /api/generate');
  });
});
