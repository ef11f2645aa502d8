/**
 * A scan of a sub-folder or of one file is analysed as part of its project: the project's package.json,
 * tsconfig, middleware and framework layout sit above the scanned path. The analysis runs from the enclosing
 * project root and reports only what lies under the scanned paths, with paths relative to the scanned folder.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isWithin } from './root-guard.js';
import { toPosix } from './posix-path.js';

/** Files that make their folder the root of a deployable project or package. */
export const PROJECT_MANIFESTS: readonly string[] = [
  'package.json',
  'deno.json',
  'deno.jsonc',
  'firebase.json',
  'vercel.json',
  'netlify.toml',
  'wrangler.toml',
  'wrangler.json',
  'wrangler.jsonc',
];

/**
 * The nearest folder at or above `folder` that holds a project manifest, or else the repository's top level
 * (the folder holding `.git`); `folder` itself when neither is found. Never above the repository's top level.
 */
export function enclosingProjectRoot(folder: string): string {
  for (let current = path.resolve(folder); ; ) {
    if (PROJECT_MANIFESTS.some((name) => existsSync(path.join(current, name))) || existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return path.resolve(folder);
    current = parent;
  }
}

/**
 * The folder a scan is analysed from, and the projects in it to read: the project of each scanned path (its
 * enclosing project root). The folder is the scanned folder when every such project lies inside it, otherwise
 * the folder that holds them.
 */
export function analysisScope(scannedRoot: string, targets: readonly string[]): { root: string; projects: string[] } {
  const projects = targets.map((target) => enclosingProjectRoot(isFolder(target) ? target : path.dirname(target)));
  let root = scannedRoot;
  for (const project of projects) {
    while (!isWithin(root, project)) root = path.dirname(root);
  }
  return { root, projects };
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Paths relative to the project root, as the analysis gives them, turned into paths relative to the scanned folder. */
export function rebaser(projectRoot: string, scannedRoot: string): (file: string) => string {
  if (projectRoot === scannedRoot) return unchanged;
  return (file) => toPosix(path.relative(scannedRoot, path.join(projectRoot, file)));
}

/** The rebasing when the scanned folder is the project root: no path changes. */
const unchanged = (file: string): string => file;

/**
 * A copy of plain report data (no AST crosses the model's seam) with every `file` path property rebased, or
 * the data itself when no path changes (nothing downstream modifies it below the endpoint's own fields).
 * Locations sit at many depths (evidence, chains, facts), so they are found by name rather than listed.
 */
export function withFilesRebased<T>(value: T, rebase: (file: string) => string): T {
  if (rebase === unchanged) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => withFilesRebased(item, rebase)) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  // Object.keys rather than Object.entries: no pair array per key (reports hold millions of keys).
  for (const key of Object.keys(source)) {
    const item = source[key];
    copy[key] = key === 'file' && typeof item === 'string' ? rebase(item) : withFilesRebased(item, rebase);
  }
  return copy as T;
}

/** Whether an absolute path lies under one of the scanned paths. */
export function underScannedPaths(targets: readonly string[]): (file: string) => boolean {
  return (file) => targets.some((target) => isWithin(target, file));
}
