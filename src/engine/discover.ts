/**
 * Stage 1, discover: the source files under the scanned paths.
 * Skips dependencies, build output, declaration files and minified bundles; never follows symlinks.
 */
import fg from 'fast-glob';
import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { ScanError } from '../model.js';

export const SOURCE_GLOB = '**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}';

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

export async function discover(root: string, ignore: string[] = []): Promise<Discovery> {
  const errors: ScanError[] = [];
  const entries = await fg(SOURCE_GLOB, {
    cwd: root,
    absolute: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    suppressErrors: true,
    dot: false,
    ignore: [...DEFAULT_IGNORES, ...ignore],
  });
  const files: string[] = [];
  for (const file of entries) {
    if (isSymlink(file)) {
      errors.push({ file: path.relative(root, file), kind: 'symlink', message: 'symbolic link not followed' });
      continue;
    }
    files.push(path.normalize(file));
  }
  files.sort();
  return { files, errors };
}

function isSymlink(file: string): boolean {
  try {
    // fast-glob reports links to files as files; lstat tells them apart.
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
