/**
 * The pipeline, end to end:
 *   discover → index → parse → endpoints → ai calls → reach → facts → rules → filter → report
 * Each stage lives in its own module; this file only wires them together.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RULES } from '../../rules/index.js';
import { leastProtected } from '../../rules/least-protected.js';
import { NO_CUSTOM_FUNCTIONS } from '../facts/custom-functions.js';
import { attackerAssumptions } from '../pricing/estimate.js';
import { type AiCall, type Endpoint, placeKey, type Rule, type ScanError, type ScanResult } from '../model.js';
import { TOOL } from '../version.js';
import type { AuditConfig } from '../config/settings.js';
import { discoveryIgnores } from '../config/ignore.js';
import { discover, SOURCE_EXTENSION } from '../discover/discover.js';
import { effectiveRules, filterFindings } from '../findings/filter.js';
import { applyRules, FileTexts } from './apply-rules.js';
import { applySuppressions, markDeclaredPublic, reasonlessSuppressions } from '../findings/declarations.js';
import type { AnalyzedEndpoint, DeepStageResult } from './deep-stage.js';
import { type Concurrency, runDeepStageInParallel } from './parallel.js';
import { analysisScope, rebaser, underScannedPaths, withFilesRebased } from '../discover/project-root.js';
import { hasOnlyItsOwnRoutes } from './route-files.js';
import { isSkippingError, skippedFileCounts, withMentions } from './skipped-files.js';
import { type SourceIndex } from '../parse/source-index.js';
import { toPosix } from '../discover/posix-path.js';
import { buildIndex } from './build-index.js';
import { projectFacts } from '../facts/project-facts.js';

export interface ScanOptions {
  /** Files or folders to scan; reports are relative to the first folder (or the common parent). */
  paths: string[];
  /** Extra ignore globs, relative to the root. */
  ignore?: string[];
  /** Rules to run; all when undefined. */
  rules?: readonly Rule[];
  /**
   * The project's config file, resolved: `ignore` reaches discovery, rule settings the filter stage.
   * `publicRoutes` and `functions` (custom auth, limiter, spend-cap and AI-wrapper names) are for the analyses.
   */
  config?: AuditConfig;
  /**
   * Threads for the deep stage: 1 by default (a second thread was measured slower on two cores); `auto` uses
   * several on four or more cores for projects with many file-routed routes.
   */
  concurrency?: Concurrency;
  /** Called as the scan advances, for a progress display. */
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanProgress {
  filesIndexed: number;
  /** Files parsed for the deep stage; 0 until parsing is done. */
  filesAnalysed: number;
  routesAnalysed: number;
}

/** A problem with the request itself (a path that does not exist): the CLI exits 2. */
export class ScanUsageError extends Error {}

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const paths = scanPaths(options.paths);
  const { root, scanned, fromProject, rebase } = paths;
  const rules = options.rules ?? RULES;

  const configIgnores = options.config?.ignore.length ? [discoveryIgnores(options.config.ignore, path.resolve(options.config.baseDir))] : [];
  const ignores = [...(options.ignore?.length ? [{ base: root, patterns: options.ignore }] : []), ...configIgnores];
  const discovery = await discover(paths.projectRoot, ignores, { targets: paths.targets, within: paths.projects });
  const index = buildIndex(paths.projectRoot, discovery.files, discovery.layout);
  const scannedFiles = discovery.files.filter(scanned);
  const fileProblems = [...discovery.errors, ...index.errors].filter((e) => e.file === undefined || scanned(fromProject(e.file)));
  const errors: ScanError[] = fileProblems.map((e) => withFilesRebased(index.skipped.size > 0 ? withMentions(e, paths.projectRoot) : e, rebase));
  const progress: ScanProgress = { filesIndexed: scannedFiles.length, filesAnalysed: 0, routesAnalysed: 0 };
  options.onProgress?.(progress);

  const deep = await analyseRoutes(index, paths, options, progress);
  errors.push(...withFilesRebased(deep.errors, rebase));
  const endpoints = withIds(withFilesRebased(reportedEndpoints(deep.endpoints, discovery.files, paths), rebase));
  const unlinkedAiCalls = withFilesRebased(unlinked(deep.paidCalls ?? [], deep.endpoints).filter((c) => scanned(fromProject(c.location.file))), rebase);

  // The index read the files already; one decoded from UTF-16 is read again, as UTF-8 like every other line hasher.
  const texts = new FileTexts(root, (file) => {
    const indexed = index.files.get(file);
    return indexed && !indexed.utf16 ? indexed.text : undefined;
  });
  markDeclaredPublic(endpoints, texts, options.config?.publicRoutes);
  const enabledRules = effectiveRules(rules, options.config?.rules);
  const facts = projectFacts(index, (file) => toPosix(path.relative(root, file)));
  facts.exposedKeys = facts.exposedKeys.filter((key) => scanned(path.join(root, key.location.file)));
  const findings = applySuppressions(filterFindings(applyRules(endpoints, facts, rules, texts), enabledRules), endpoints, texts);
  errors.push(...reasonlessSuppressions([...index.files.values()].filter((f) => scanned(f.path))).map((e) => withFilesRebased(e, rebase)));
  const skippedFiles = skippedFileCounts(
    discovery.skipped.filter((entry) => scanned(fromProject(entry.relative))),
    fileProblems.filter((e) => e.file !== undefined && index.skipped.has(fromProject(e.file)) && isSkippingError(e)),
  );
  return {
    tool: TOOL,
    root,
    endpoints,
    findings,
    errors: errors.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0)),
    stats: { files: scannedFiles.length, analyzedFiles: deep.parsedFiles.length, skippedFiles, durationMs: Math.round(performance.now() - started) },
    rules: enabledRules,
    unlinkedAiCalls,
  };
}

/** The scanned paths, the project they are analysed in, and the conversions between the two. */
interface ScanPaths {
  /** The folder reports are relative to. */
  root: string;
  targets: string[];
  /** The folder the analysis runs from, and the projects in it that are read. */
  projectRoot: string;
  projects: string[];
  scanned: (file: string) => boolean;
  fromProject: (relative: string) => string;
  /** A path relative to the project root, made relative to the scanned root. */
  rebase: (relative: string) => string;
}

function scanPaths(paths: string[]): ScanPaths {
  const root = scanRoot(paths);
  const targets = (paths.length ? paths : ['.']).map((p) => path.resolve(p));
  const { root: projectRoot, projects } = analysisScope(root, targets);
  return {
    root,
    targets,
    projectRoot,
    projects,
    scanned: underScannedPaths(targets),
    fromProject: (relative) => path.join(projectRoot, relative),
    rebase: rebaser(projectRoot, root),
  };
}

/** The deep stage on the route files under the scanned paths and, outside them, those that may mount or guard them. */
async function analyseRoutes(index: SourceIndex, paths: ScanPaths, options: ScanOptions, progress: ScanProgress): Promise<DeepStageResult> {
  const routeFiles = [...index.files.values()].filter((f) => f.mentionsRoutes && (paths.scanned(f.path) || !hasOnlyItsOwnRoutes(f)));
  // Paid calls with no route in front of them are listed too: the deep stage runs when there are either.
  if (routeFiles.length === 0 && ![...index.files.values()].some((f) => f.mentionsAi && paths.scanned(f.path))) {
    return { endpoints: [], errors: [], parsedFiles: [] };
  }
  progress.filesAnalysed = routeFiles.length;
  options.onProgress?.(progress);
  const settings = { custom: options.config?.functions ?? NO_CUSTOM_FUNCTIONS, attackers: attackerAssumptions(options.config?.exposure) };
  return runDeepStageInParallel(index, routeFiles, settings, options.concurrency ?? 1, () => {
    progress.routesAnalysed++;
    options.onProgress?.(progress);
  });
}

/**
 * The endpoints to report: declared under the scanned paths, in a discovered file. A file the user or the
 * project's .gitignore excludes may still be parsed as a helper of another file; its own routes are not reported.
 */
function reportedEndpoints(endpoints: AnalyzedEndpoint[], discovered: readonly string[], paths: ScanPaths): AnalyzedEndpoint[] {
  const files = new Set(discovered);
  return endpoints.filter((endpoint) => {
    const file = paths.fromProject(endpoint.location.file);
    return paths.scanned(file) && (files.has(file) || !SOURCE_EXTENSION.test(file));
  });
}

/** The folder reports are relative to: the common parent of the scanned paths. */
export function scanRoot(paths: string[]): string {
  const absolute = (paths.length ? paths : ['.']).map((p) => path.resolve(p));
  for (const p of absolute) {
    if (!existsSync(p)) throw new ScanUsageError(`path does not exist: ${p}`);
  }
  const dirs = absolute.map((p) => (statSync(p).isDirectory() ? p : path.dirname(p)));
  let common = dirs[0];
  for (const dir of dirs.slice(1)) {
    while (!(dir === common || dir.startsWith(common + path.sep))) common = path.dirname(common);
  }
  return common;
}

function withIds(endpoints: AnalyzedEndpoint[]): Endpoint[] {
  const sorted = [...endpoints].sort(
    (a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.method.localeCompare(b.method),
  );
  const used = new Map<string, number>();
  const unique: Endpoint[] = [];
  const seenLocations = new Set<string>();
  for (const endpoint of sorted) {
    const where = `${endpoint.method} ${endpoint.path} ${endpoint.location.file}:${endpoint.location.line}`;
    if (seenLocations.has(where)) continue;
    seenLocations.add(where);
    const base = `${endpoint.method} ${endpoint.path} (${endpoint.location.file})`;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    unique.push({ id: n === 1 ? base : `${base} #${n}`, ...endpoint, facts: leastProtected(endpoint.callFacts) });
  }
  return unique;
}

/** Paid call sites that no endpoint reaches, once each. */
function unlinked(paidCalls: readonly AiCall[], endpoints: readonly AnalyzedEndpoint[]): AiCall[] {
  const key = (c: AiCall) => placeKey(c.location);
  const reached = new Set(endpoints.flatMap((e) => e.aiCalls.map(key)));
  const seen = new Set<string>();
  return paidCalls.filter((c) => !reached.has(key(c)) && !seen.has(key(c)) && seen.add(key(c)));
}
