/**
 * Stage 1, discover: the source files under the scanned root.
 * Skips only dependencies and version control, what the project's `.gitignore` files exclude, what the user's
 * ignore globs exclude, build output at a project root (the scanned root or a folder with a package.json or
 * another project manifest),
 * declaration files and bundles by name. Every source file skipped is counted by reason. Never follows symbolic
 * links (a link is noted and skipped, so a link loop or a link to a folder outside the root is never entered),
 * and notes entries with a source name that are not regular files (a FIFO would block a read forever).
 *
 * The walk is a plain `readdirSync` per folder: a glob library's per-entry matching cost most of this stage's time.
 */
import { type Dirent, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { ScanError, SkipReason } from '../model.js';
import { ancestorGitignores, type GitignoreStack, isGitignored, withGitignore } from './gitignore.js';
import { PROJECT_MANIFESTS } from './project-root.js';
import { isWithin, RootGuard } from './root-guard.js';
import { toPosix } from './posix-path.js';

export const SOURCE_EXTENSION = /\.(?:ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/** Folders never entered, wherever they are: dependencies and version control. */
export const DEPENDENCY_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Build output, framework output and tool caches: skipped at a project root only, so `app/api/build/` is scanned. */
export const BUILD_OUTPUT_FOLDERS: ReadonlySet<string> = new Set([
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.vercel',
  '.netlify',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.docusaurus',
  '.expo',
  '.wrangler',
  '.vinxi',
  '.angular',
  '.serverless',
  '.yarn',
  '.pnpm-store',
  'storybook-static',
]);

/** Source names that are generated: declarations, bundles, Yarn's Plug'n'Play loaders. */
export const SKIPPED_FILE = /\.d\.(?:ts|mts|cts)$|\.(?:min|bundle)\.js$|^\.pnp\.(?:c?js|loader\.mjs)$/;

/** Entries in skipped folders counted at most, per scan: a huge ignored folder is not walked to the end. */
const MAX_COUNTED_ENTRIES = 100_000;

/** Glob patterns, relative to `base` (an absolute folder), whose matches are not scanned. */
export interface IgnoreGlobs {
  base: string;
  patterns: readonly string[];
}

/** Source files not scanned: one file, or the source files of a folder (`files` of them). */
export interface SkippedEntry {
  /** Relative to the root, POSIX separators. */
  relative: string;
  reason: SkipReason;
  files: number;
}

export interface Discovery {
  /** Absolute paths, sorted. */
  files: string[];
  errors: ScanError[];
  skipped: SkippedEntry[];
  /** What else the walk saw, so that later stages need not ask the file system again. */
  layout: ProjectLayout;
}

/** The folders discovery listed, and the tsconfig.json / jsconfig.json entries in them (files or links). */
export interface ProjectLayout {
  folders: Set<string>;
  compilerConfigs: Set<string>;
  /** The deployment descriptor entries (`serverless.yml`, `template.yaml`...) in the listed folders, in scope or not. */
  descriptors?: Set<string>;
}

const COMPILER_CONFIG_NAMES = new Set(['tsconfig.json', 'jsconfig.json']);
export const DESCRIPTOR_NAMES: readonly string[] = ['serverless.yml', 'serverless.yaml', 'template.yaml', 'template.yml'];
const DESCRIPTOR_NAME_SET = new Set(DESCRIPTOR_NAMES);
const MANIFESTS: ReadonlySet<string> = new Set(PROJECT_MANIFESTS);

/** What to walk besides the user's ignore globs. */
export interface DiscoveryScope {
  /** Absolute paths the user named: they and the folders leading to them are never skipped as build output or as gitignored (scanning `dist/` scans it). */
  targets?: readonly string[];
  /** Absolute folders to walk (the projects of the named paths); the whole root when absent. */
  within?: readonly string[];
}

/** `ignore`: globs relative to the root, or sets of globs relative to another folder (a config file's). */
export async function discover(root: string, ignore: ReadonlyArray<string | IgnoreGlobs> = [], scope: DiscoveryScope = {}): Promise<Discovery> {
  const walk = new Walk(new RootGuard(root), ignore, scope);
  walk.folder(walk.guard.root, '', ancestorGitignores(walk.guard.root));
  walk.found.files.sort();
  return walk.found;
}

/** One discovery walk: what it has found so far, and the tests each entry goes through. */
class Walk {
  readonly found: Discovery = { files: [], errors: [], skipped: [], layout: { folders: new Set(), compilerConfigs: new Set(), descriptors: new Set() } };
  private readonly ignored: (relative: string) => boolean;
  private readonly named: Set<string>;
  private readonly inScope: ReturnType<typeof scopeTest>;
  private readonly countSources = sourceFileCounter();

  constructor(
    readonly guard: RootGuard,
    ignore: ReadonlyArray<string | IgnoreGlobs>,
    scope: DiscoveryScope,
  ) {
    this.ignored = ignoreMatcher(guard.root, ignore);
    this.named = namedPaths(guard.root, scope.targets ?? []);
    this.inScope = scopeTest(guard.root, scope.within);
  }

  folder(folder: string, relativeFolder: string, inherited: GitignoreStack): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      if (relativeFolder !== '') this.found.errors.push({ file: relativeFolder, kind: 'unreadable', message: `folder not read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      return;
    }
    this.found.layout.folders.add(folder);
    const gitignores = entries.some((e) => e.name === '.gitignore') ? withGitignore(inherited, relativeFolder, path.join(folder, '.gitignore')) : inherited;
    const atProjectRoot = relativeFolder === '' || entries.some((e) => MANIFESTS.has(e.name));
    for (const entry of entries) {
      // Dependency folder names also cover links with those names.
      if (DEPENDENCY_FOLDERS.has(entry.name)) continue;
      this.entry(entry, path.join(folder, entry.name), relativeFolder === '' ? entry.name : `${relativeFolder}/${entry.name}`, atProjectRoot, gitignores);
    }
  }

  private entry(entry: Dirent, file: string, relative: string, atProjectRoot: boolean, gitignores: GitignoreStack): void {
    if (DESCRIPTOR_NAME_SET.has(entry.name)) this.found.layout.descriptors?.add(file);
    const place = this.inScope(relative);
    if (place === 'outside') return;
    // A tsconfig on the way to a project may be the one its files use (module resolution looks upwards).
    if (COMPILER_CONFIG_NAMES.has(entry.name)) this.found.layout.compilerConfigs.add(file);
    if (place === 'on-the-way' && !entry.isDirectory()) return;
    const reason = this.skipReason(entry, relative, atProjectRoot, gitignores);
    if (reason !== undefined) {
      const count = entry.isDirectory() ? this.countSources(file) : SOURCE_EXTENSION.test(entry.name) ? 1 : 0;
      if (count > 0) this.found.skipped.push({ relative, reason, files: count });
    } else if (entry.isDirectory()) {
      // A named folder the .gitignore files exclude is scanned with only the .gitignore files inside it.
      this.folder(file, relative, this.named.has(relative) && isGitignored(gitignores, relative, true) ? [] : gitignores);
    } else {
      this.file(entry, file, relative);
    }
  }

  private skipReason(entry: Dirent, relative: string, atProjectRoot: boolean, gitignores: GitignoreStack): SkipReason | undefined {
    const isFolder = entry.isDirectory();
    if (!this.named.has(relative)) {
      if (isFolder && atProjectRoot && BUILD_OUTPUT_FOLDERS.has(entry.name)) return 'build-output';
      if (isGitignored(gitignores, relative, isFolder)) return 'gitignored';
    }
    if (this.ignored(relative)) return 'ignored';
    if (!isFolder && SKIPPED_FILE.test(entry.name)) return entry.name.includes('.d.') ? 'declaration' : 'generated';
    return undefined;
  }

  private file(entry: Dirent, file: string, relative: string): void {
    const isSource = SOURCE_EXTENSION.test(entry.name);
    const { errors, skipped } = this.found;
    if (entry.isSymbolicLink()) {
      const note = symlinkNote(file, isSource, this.guard);
      if (note) errors.push({ file: relative, kind: 'symlink', message: note });
      if (note && isSource) skipped.push({ relative, reason: 'symlink', files: 1 });
    } else if (isSource && entry.isFile()) {
      this.found.files.push(file);
    } else if (isSource) {
      errors.push({ file: relative, kind: 'unreadable', message: `skipped: not a regular file (${specialKind(entry)})` });
      skipped.push({ relative, reason: 'unreadable', files: 1 });
    }
  }
}

/** The named paths and the folders leading to them, relative to the root. */
function namedPaths(root: string, targets: readonly string[]): Set<string> {
  return new Set(relativePaths(root, targets).flatMap(withAncestors));
}

/** Whether a path relative to the root is inside one of the folders to walk, on the way to one, or outside them all. */
function scopeTest(root: string, within: readonly string[] | undefined): (relative: string) => 'inside' | 'on-the-way' | 'outside' {
  const folders = within === undefined ? [''] : relativePaths(root, within);
  if (folders.includes('')) return () => 'inside';
  const onTheWay = new Set(folders.flatMap(withAncestors));
  return (relative) => {
    if (folders.some((folder) => relative === folder || relative.startsWith(`${folder}/`))) return 'inside';
    return onTheWay.has(relative) ? 'on-the-way' : 'outside';
  };
}

/** Absolute paths inside the root, relative to it ('' for the root itself). */
function relativePaths(root: string, paths: readonly string[]): string[] {
  return paths.map((p) => toPosix(path.relative(root, path.resolve(p)))).filter((relative) => !relative.startsWith('..') && !path.isAbsolute(relative));
}

/** `a/b/c` → `a`, `a/b`, `a/b/c`. */
function withAncestors(relative: string): string[] {
  if (relative === '') return [];
  const segments = relative.split('/');
  return segments.map((_, i) => segments.slice(0, i + 1).join('/'));
}

/** Counts the source files under a skipped folder by name (nothing is read, no link followed), within one budget per scan. */
function sourceFileCounter(): (folder: string) => number {
  let budget = MAX_COUNTED_ENTRIES;
  const count = (folder: string): number => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return 0;
    }
    let found = 0;
    for (const entry of entries) {
      if (--budget < 0) break;
      if (entry.isDirectory() && !DEPENDENCY_FOLDERS.has(entry.name)) found += count(path.join(folder, entry.name));
      else if (entry.isFile() && SOURCE_EXTENSION.test(entry.name)) found++;
    }
    return found;
  };
  return count;
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
