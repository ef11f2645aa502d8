/**
 * Past BATCH_FILES file-routed route files, the deep stage analyses them in batches, each with its own parsed
 * project. Batches of one or two files must give what one batch gives: the same endpoints, errors and paid call
 * sites (each listed once, by the batch that parsed its file, in the index's order).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/discover.js';
import { buildIndex } from '../../src/pipeline/build-index.js';
import { runDeepStageInParallel } from '../../src/pipeline/parallel.js';
import { NO_CUSTOM_FUNCTIONS } from '../../src/facts/custom-functions.js';
import { attackerAssumptions } from '../../src/pricing/estimate.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const settings = { custom: NO_CUSTOM_FUNCTIONS, attackers: attackerAssumptions(undefined) };

async function deepStage(project: string, batchFiles?: number) {
  const root = path.join(FIXTURES, project);
  const index = buildIndex(root, (await discover(root)).files);
  const routeFiles = [...index.files.values()].filter((f) => f.mentionsRoutes);
  const result = await runDeepStageInParallel(index, routeFiles, settings, 1, () => undefined, batchFiles);
  // The scan orders endpoints and errors by place afterwards; batches may produce them in another order.
  const byPlace = (a: { location: { file: string; line: number } }, b: { location: { file: string; line: number } }) =>
    a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line;
  return {
    endpoints: [...result.endpoints].sort((a, b) => byPlace(a, b) || a.method.localeCompare(b.method)),
    errors: [...result.errors].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    parsedFiles: [...result.parsedFiles].sort(),
    paidCalls: result.paidCalls,
  };
}

describe('route files analysed in batches', () => {
  it.each(['providers-media-apis/vulnerable', 'providers-groq-mistral/vulnerable', 'next-actions-marketing-copy/vulnerable', 'client-set-ceilings/fixed'])(
    '%s: batches of one and two files give what one batch gives',
    async (project) => {
      const whole = await deepStage(project);
      expect(whole.endpoints.length).toBeGreaterThan(0);
      for (const size of [1, 2]) expect(await deepStage(project, size)).toEqual(whole);
    },
  );
});
