/**
 * The pipeline, end to end:
 *   discover → index → parse → endpoints → ai calls → reach → facts → rules → report
 * Each stage lives in its own module; this file only wires them together.
 */
import { existsSync, statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RULES } from '../../rules/index.js';
import { analyzeRoute } from '../analysis/facts.js';
import { Resolver } from '../analysis/resolve.js';
import { FRAMEWORKS, type FrameworkContext } from '../frameworks/index.js';
import type { Endpoint, Finding, Rule, ScanError, ScanResult } from '../model.js';
import { PROVIDERS, SDK_MODULES } from '../providers/index.js';
import { primaryLocationLineHash, stableFingerprint } from '../report/fingerprint.js';
import { compareFindings } from '../report/order.js';
import { TOOL } from '../version.js';
import { discover } from './discover.js';
import { createParsedProject } from './program.js';
import { buildIndex } from './source-index.js';

export interface ScanOptions {
  /** Files or folders to scan; reports are relative to the first folder (or the common parent). */
  paths: string[];
  /** Extra ignore globs, relative to the root. */
  ignore?: string[];
  /** Rules to run; all when undefined. */
  rules?: readonly Rule[];
}

/** A problem with the request itself (a path that does not exist): the CLI exits 2. */
export class ScanUsageError extends Error {}

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const root = scanRoot(options.paths);
  const rules = options.rules ?? RULES;

  const discovery = await discover(root, options.ignore);
  const index = buildIndex(root, discovery.files);
  const errors: ScanError[] = [...discovery.errors, ...index.errors];

  const candidates = [...index.files.values()].filter((f) => f.mentionsRoutes).map((f) => f.path);
  let endpoints: Endpoint[] = [];
  let analyzedFiles = 0;
  if (candidates.length > 0) {
    const project = createParsedProject(index, candidates, errors);
    const resolver = new Resolver(project, SDK_MODULES);
    const sourceFiles = project.program.getSourceFiles().filter((f) => !f.isDeclarationFile);
    analyzedFiles = sourceFiles.length;
    const context: FrameworkContext = { project, resolver, routeFiles: sourceFiles };
    const analyzed: Omit<Endpoint, 'id'>[] = [];
    for (const framework of FRAMEWORKS) {
      for (const route of safely(() => framework.findRoutes(context), errors, `${framework.name} routes`) ?? []) {
        const endpoint = safely(() => analyzeRoute(route, project, resolver, PROVIDERS), errors, `${route.method} ${route.path}`);
        if (endpoint) analyzed.push(endpoint);
      }
    }
    endpoints = withIds(analyzed);
  }

  const findings = applyRules(endpoints, rules, root);
  return {
    tool: TOOL,
    root,
    endpoints,
    findings,
    errors: errors.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0)),
    stats: { files: discovery.files.length, analyzedFiles, durationMs: Math.round(performance.now() - started) },
    rules: rules.map((r) => r.meta),
  };
}

function scanRoot(paths: string[]): string {
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

/** One broken route or framework must not stop the scan: it becomes an entry in `errors`. */
function safely<T>(work: () => T, errors: ScanError[], what: string): T | undefined {
  try {
    return work();
  } catch (error) {
    errors.push({ kind: 'internal', message: `could not analyse ${what}: ${error instanceof Error ? error.message : String(error)}` });
    return undefined;
  }
}

function withIds(endpoints: Omit<Endpoint, 'id'>[]): Endpoint[] {
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
    unique.push({ id: n === 1 ? base : `${base} #${n}`, ...endpoint });
  }
  return unique;
}

function applyRules(endpoints: Endpoint[], rules: readonly Rule[], root: string): Finding[] {
  const texts = new Map<string, string | undefined>();
  const fileText = (file: string) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(path.join(root, file), 'utf8'));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  const findings: Finding[] = [];
  for (const endpoint of endpoints) {
    for (const rule of rules) {
      for (const draft of rule.checkEndpoint(endpoint).slice(0, 1)) {
        const text = fileText(draft.location.file);
        const lineText = text?.split(/\r?\n/)[draft.location.line - 1]?.trim() ?? '';
        let lineHash = '';
        try {
          lineHash = text === undefined ? '' : primaryLocationLineHash(text, draft.location.line);
        } catch {
          lineHash = '';
        }
        findings.push({
          ...draft,
          ruleId: rule.meta.id,
          severity: rule.meta.severity,
          fingerprint: stableFingerprint([rule.meta.id, `${endpoint.method} ${endpoint.path}`, draft.location.file, lineText]),
          lineHash,
          help: rule.meta.fix,
        });
      }
    }
  }
  return findings.sort(compareFindings);
}
