/**
 * The config's `ignore` globs, written relative to the config file, turned into the patterns discovery uses
 * (relative to the scanned root). A glob naming a folder also covers everything inside it.
 */
import fg from 'fast-glob';
import path from 'node:path';

export function discoveryIgnores(patterns: readonly string[], baseDir: string, root: string): string[] {
  const expanded = patterns.flatMap((pattern) => {
    const trimmed = pattern.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    return trimmed.endsWith('/**') ? [trimmed] : [trimmed, `${trimmed}/**`];
  });
  if (path.resolve(baseDir) === path.resolve(root)) return expanded;
  // fast-glob matches absolute ignore patterns against absolute paths, so globs keep their meaning from any root.
  const base = fg.convertPathToPattern(path.resolve(baseDir)).replace(/\/$/, '');
  return expanded.map((pattern) => `${base}/${pattern}`);
}
