/** A worker thread's part of the deep stage (parallel.ts): the index comes in, plain results go out. */
import { parentPort, workerData } from 'node:worker_threads';
import { runDeepStage } from './deep-stage.js';
import type { WorkerInput } from './parallel.js';
import type { SourceIndex } from '../parse/source-index.js';

const input = workerData as WorkerInput;
const index: SourceIndex = {
  root: input.root,
  files: new Map(input.files.map((file) => [file.path, file])),
  skipped: new Set(input.skipped),
  errors: [],
  ...(input.layout ? { layout: input.layout } : {}),
};
parentPort?.postMessage(runDeepStage(index, input.routeFiles, input.settings));
