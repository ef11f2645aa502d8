/**
 * Stage 1, discover: the source files under the scanned root.
 * Skips dependencies, build output, declaration files and minified bundles. Never follows symbolic links
 * (a link is noted and skipped, so a link loop or a link to a folder outside the root is never entered), and
 * notes entries with a source name that are not regular files (a FIFO would block a read forever).
 */
import fg from 'fast-glob';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { ScanError } from '../model.js';
import { isWithin, RootGuard } from './root-guard.js';

export const SOURCE_EXTENSION = /\.(?:ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

export const DEFAULT_IGNORES = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/build/**',
  '**/out/**',
  '**/.next/**',
  '**/.nuxt/**',
  '**/.output/**',
  '**/.svelte-kit/**',
  '**/.vercel/**',
  '**/.netlify/**',
  '**/.turbo/**',
  '**/coverage/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/*.min.js',
  '**/*.bundle.js',
];

export interface Discovery {
  /** Absolute paths, sorted. */
  files: string[];
  errors: ScanError[];
}

interface Entry {
  path: string;
  dirent: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean };
}

export async function discover(root: string, ignore: string[] = []): Promise<Discovery> {
  const guard = new RootGuard(root);
  const errors: ScanError[] = [];
  // Every entry, not only source names: a link to a folder has no source extension but still needs a note.
  const entries = (await fg('**', {
    cwd: guard.root,
    absolute: true,
    onlyFiles: false,
    objectMode: true,
    followSymbolicLinks: false,
    suppressErrors: true,
    dot: false,
    // The ignored folders themselves too: a link named `node_modules` or `dist` is not worth a note.
    ignore: [...DEFAULT_IGNORES, ...DEFAULT_IGNORES.filter((p) => p.endsWith('/**')).map((p) => p.slice(0, -3)), ...ignore],
  })) as unknown as Entry[];
  const files: string[] = [];
  for (const entry of entries) {
    const file = path.normalize(entry.path);
    const relative = path.relative(guard.root, file).split(path.sep).join('/');
    const isSource = SOURCE_EXTENSION.test(file);
    if (entry.dirent.isDirectory()) continue;
    if (entry.dirent.isSymbolicLink()) {
      const note = symlinkNote(file, isSource, guard);
      if (note) errors.push({ file: relative, kind: 'symlink', message: note });
    } else if (!isSource) {
      continue;
    } else if (entry.dirent.isFile()) {
      files.push(file);
    } else {
      errors.push({ file: relative, kind: 'unreadable', message: `skipped: not a regular file (${specialKind(entry.dirent)})` });
    }
  }
  files.sort();
  return { files, errors };
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

function specialKind(dirent: Entry['dirent']): string {
  if (dirent.isFIFO()) return 'a named pipe';
  if (dirent.isSocket()) return 'a socket';
  return 'a device or other special file';
}
