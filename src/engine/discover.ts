/**
 * Stage 1, discover: the source files under the scanned root.
 * Skips dependencies, build output, declaration files and minified bundles. Never follows symbolic links
 * (a link is noted and skipped, so a link loop or a link to a folder outside the root is never entered), and
 * notes entries with a source name that are not regular files (a FIFO would block a read forever).
 *
 * The walk is a plain `readdirSync` per folder: the skipped folders are known by name, so only the user's
 * ignore globs need a matcher, and a glob library's per-entry matching cost most of this stage's time.
 */
import { type Dirent, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { ScanError } from '../model.js';
import { isWithin, RootGuard } from './root-guard.js';
import { toPosix } from './source-index.js';

export const SOURCE_EXTENSION = /\.(?:ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/** Folders never entered, wherever they are: dependencies, version control, build and framework output. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.vercel',
  '.netlify',
  '.turbo',
  'coverage',
]);

/** Source names that are generated: declarations and bundles. */
export const SKIPPED_FILE = /\.d\.(?:ts|mts|cts)$|\.(?:min|bundle)\.js$/;

/** Glob patterns, relative to `base` (an absolute folder), whose matches are not scanned. */
export interface IgnoreGlobs {
  base: string;
  patterns: readonly string[];
}

export interface Discovery {
  /** Absolute paths, sorted. */
  files: string[];
  errors: ScanError[];
  /** What else the walk saw, so that later stages need not ask the file system again. */
  layout: ProjectLayout;
}

/** The folders discovery listed, and the tsconfig.json / jsconfig.json entries in them (files or links). */
export interface ProjectLayout {
  folders: Set<string>;
  compilerConfigs: Set<string>;
}

const COMPILER_CONFIG_NAMES = new Set(['tsconfig.json', 'jsconfig.json']);

/** `ignore`: globs relative to the root, or sets of globs relative to another folder (a config file's). */
export async function discover(root: string, ignore: ReadonlyArray<string | IgnoreGlobs> = []): Promise<Discovery> {
  const guard = new RootGuard(root);
  const errors: ScanError[] = [];
  const files: string[] = [];
  const layout: ProjectLayout = { folders: new Set(), compilerConfigs: new Set() };
  const ignored = ignoreMatcher(guard.root, ignore);

  const walk = (folder: string, relativeFolder: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      if (relativeFolder !== '') errors.push({ file: relativeFolder, kind: 'unreadable', message: `folder not read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      return;
    }
    layout.folders.add(folder);
    for (const entry of entries) {
      // Hidden entries are skipped, as `**` globs do; skipped folder names also cover links with those names.
      if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
      const file = path.join(folder, entry.name);
      const relative = relativeFolder === '' ? entry.name : `${relativeFolder}/${entry.name}`;
      if (COMPILER_CONFIG_NAMES.has(entry.name)) layout.compilerConfigs.add(file);
      if (ignored(relative)) continue;
      if (entry.isDirectory()) {
        walk(file, relative);
        continue;
      }
      const isSource = SOURCE_EXTENSION.test(entry.name) && !SKIPPED_FILE.test(entry.name);
      if (entry.isSymbolicLink()) {
        const note = symlinkNote(file, isSource, guard);
        if (note) errors.push({ file: relative, kind: 'symlink', message: note });
      } else if (!isSource) {
        continue;
      } else if (entry.isFile()) {
        files.push(file);
      } else {
        errors.push({ file: relative, kind: 'unreadable', message: `skipped: not a regular file (${specialKind(entry)})` });
      }
    }
  };
  walk(guard.root, '');
  files.sort();
  return { files, errors, layout };
}

/**
 * Whether a path relative to the root is ignored. A glob that matches a folder skips everything inside it;
 * a glob relative to another folder is matched against the path from that folder.
 */
function ignoreMatcher(root: string, ignore: ReadonlyArray<string | IgnoreGlobs>): (relative: string) => boolean {
  const tests = ignore.map((entry) => {
    const { base, patterns } = typeof entry === 'string' ? { base: root, patterns: [entry] } : entry;
    const matches = picomatch([...patterns], { dot: true });
    const fromBase = toPosix(path.relative(base, root));
    if (fromBase === '') return matches;
    if (!fromBase.startsWith('..') && !path.isAbsolute(fromBase)) return (relative: string) => matches(`${fromBase}/${relative}`);
    return (relative: string) => matches(toPosix(path.relative(base, path.join(root, relative))));
  });
  if (tests.length === 0) return () => false;
  return (relative) => tests.some((test) => test(relative));
}

/** Why a link is skipped, or undefined for a link that cannot matter (to a file that is not source). */
function symlinkNote(link: string, isSource: boolean, guard: RootGuard): string | undefined {
  let target;
  try {
    target = statSync(link);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'symbolic link not followed: it loops';
    return isSource ? `symbolic link not followed: its target cannot be read (${code ?? 'error'})` : undefined;
  }
  if (!target.isDirectory() && !isSource) return undefined;
  const what = target.isDirectory() ? 'symbolic link to a folder not followed' : 'symbolic link not followed';
  const real = guard.realDirectory(link);
  if (real !== undefined && !isWithin(guard.realRoot, real)) return `${what}: it points outside the scanned root`;
  const parent = guard.realDirectory(path.dirname(link));
  if (real !== undefined && parent !== undefined && target.isDirectory() && isWithin(real, parent)) {
    return `${what}: it points to a folder that contains it (a loop)`;
  }
  return what;
}

function specialKind(dirent: Dirent): string {
  if (dirent.isFIFO()) return 'a named pipe';
  if (dirent.isSocket()) return 'a socket';
  return 'a device or other special file';
}
