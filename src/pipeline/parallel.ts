/**
 * The deep stage on several cores. Routes of file-based routers (a Next.js `route.ts`, a SvelteKit
 * `+server.ts`, a Nuxt `server/api` file) depend on no other route file but the project's middleware files,
 * so they are shared out between threads, each of which also gets the middleware files. Files that register
 * routes on apps and routers (Express, Koa, Fastify, NestJS, tRPC...) mount each other and stay together on
 * the main thread. Every thread parses what its routes reach; the endpoints are merged by location.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScanError } from '../model.js';
import { type AnalysisSettings, runDeepStage, type DeepStageResult } from './deep-stage.js';
import { hasOnlyItsOwnRoutes, isLayerFile } from './route-files.js';
import type { IndexedFile, SourceIndex } from '../parse/source-index.js';
import type { ProjectLayout } from '../discover/discover.js';

/** `auto`: threads when the machine and the project are large enough to gain from them; a number: that many. */
export type Concurrency = number | 'auto';

/** Below this many file-routed route files, starting a thread (loading the compiler again) costs more than it saves. */
const AUTO_MIN_SHAREABLE_FILES = 150;
/**
 * V8 already keeps a second core busy part of the time (garbage collection and compilation run on background
 * threads): on two cores a second analysis thread was measured to slow a scan down, so `auto` asks for four.
 */
const AUTO_MIN_CORES = 4;
/** A thread starts after the main thread has begun (about the time to analyse this many route files): it gets less work. */
const THREAD_START_FILES = 60;
/**
 * File-routed route files analysed with one parsed project at most. Past this, a thread's part is analysed in
 * batches, each with its own parsed project (as threads are), so that one batch's syntax trees are released
 * before the next is parsed: 20,000 route files held at once took most of a gigabyte.
 */
export const BATCH_FILES = 1_000;

const WORKER = new URL('./deep-worker.js', import.meta.url);

export interface WorkerInput {
  root: string;
  files: IndexedFile[];
  skipped: string[];
  layout?: ProjectLayout;
  routeFiles: string[];
  settings: AnalysisSettings;
}

export async function runDeepStageInParallel(
  index: SourceIndex,
  routeFiles: IndexedFile[],
  settings: AnalysisSettings,
  concurrency: Concurrency,
  onRouteAnalysed: () => void,
  batchFiles = BATCH_FILES,
): Promise<DeepStageResult> {
  const parts = partition(routeFiles, threadCount(routeFiles, concurrency));
  const [own, ...others] = parts;
  // Threads start first, so they work while this thread does its part.
  const remote = others.map((part) => runInWorker(index, part, settings).catch(() => runDeepStage(index, part, settings)));
  const results = [...runInBatches(index, own, settings, onRouteAnalysed, batchFiles), ...(await Promise.all(remote))];
  return merge(results);
}

/**
 * This thread's part, in batches of file-routed route files; the first batch also lists the paid calls outside
 * the others' route files, each other batch those in its own, and the list keeps the index's order of files.
 */
function runInBatches(index: SourceIndex, part: string[], settings: AnalysisSettings, onRouteAnalysed: () => void, batchFiles = BATCH_FILES): DeepStageResult[] {
  const files = part.map((file) => index.files.get(file)).filter((file) => file !== undefined);
  const batches = files.length === part.length ? partition(files, Math.max(1, Math.ceil(files.filter(hasOnlyItsOwnRoutes).length / batchFiles)), 0) : [part];
  if (batches.length === 1) return [runDeepStage(index, part, settings, onRouteAnalysed, () => true)];
  const batchOf = new Map<string, number>();
  batches.forEach((batch, i) => batch.forEach((file) => i > 0 && hasOnlyItsOwnRoutes(index.files.get(file)!) && batchOf.set(file, i)));
  const results = batches.map((batch, i) => runDeepStage(index, batch, settings, onRouteAnalysed, (f) => (batchOf.get(f.path) ?? 0) === i));
  const rank = new Map([...index.files.values()].map((file, i) => [file.relative, i]));
  const paidCalls = results.flatMap((r) => r.paidCalls ?? []).sort((a, b) => (rank.get(a.location.file) ?? 0) - (rank.get(b.location.file) ?? 0));
  // The merged list is the first batch's; the others' calls are in it already.
  return [{ ...results[0]!, paidCalls }, ...results.slice(1).map((result) => ({ ...result, paidCalls: [] }))];
}

function threadCount(routeFiles: IndexedFile[], concurrency: Concurrency): number {
  if (!existsSync(fileURLToPath(WORKER))) return 1; // running from TypeScript sources (tests): no compiled worker
  if (concurrency !== 'auto') return Math.max(1, Math.floor(concurrency));
  const cores = availableParallelism();
  if (cores < AUTO_MIN_CORES || routeFiles.filter(hasOnlyItsOwnRoutes).length < AUTO_MIN_SHAREABLE_FILES) return 1;
  return Math.min(cores - 2, 4);
}

/**
 * Part 0 (this thread) takes the connected files and the layers; file-routed routes go where there is least work
 * (counted in files). The other parts start with `lateStart` files of work: a thread begins after this one has.
 */
export function partition(routeFiles: IndexedFile[], count: number, lateStart = THREAD_START_FILES): string[][] {
  const parts: string[][] = Array.from({ length: count }, () => []);
  const load: number[] = parts.map((_, i) => (i === 0 ? 0 : lateStart));
  const shareable: IndexedFile[] = [];
  for (const file of routeFiles) {
    if (count > 1 && isLayerFile(file)) parts.forEach((part) => part.push(file.path));
    else if (count > 1 && hasOnlyItsOwnRoutes(file)) shareable.push(file);
    else {
      parts[0].push(file.path);
      load[0]++;
    }
  }
  for (const file of shareable) {
    const lightest = load.indexOf(Math.min(...load));
    parts[lightest].push(file.path);
    load[lightest]++;
  }
  return parts;
}

function runInWorker(index: SourceIndex, routeFiles: string[], settings: AnalysisSettings): Promise<DeepStageResult> {
  const input: WorkerInput = { root: index.root, files: [...index.files.values()], skipped: [...index.skipped], layout: index.layout, routeFiles, settings };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: input });
    worker.once('message', (result: DeepStageResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`analysis thread exited with code ${code}`)));
  });
}

/** One result: endpoints and parsed files from every thread; a file parsed twice notes its problems once. */
function merge(results: DeepStageResult[]): DeepStageResult {
  const errors = new Map<string, ScanError>();
  for (const error of results.flatMap((r) => r.errors)) errors.set(JSON.stringify(error), error);
  return {
    endpoints: results.flatMap((r) => r.endpoints),
    errors: [...errors.values()],
    parsedFiles: [...new Set(results.flatMap((r) => r.parsedFiles))],
    paidCalls: results.flatMap((r) => r.paidCalls ?? []),
  };
}
