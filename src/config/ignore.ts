/**
 * The config's `ignore` globs, written relative to the config file, turned into what discovery matches:
 * globs relative to the config file's folder. A glob naming a folder also covers everything inside it.
 */
import type { IgnoreGlobs } from '../discover/discover.js';

export function discoveryIgnores(patterns: readonly string[], baseDir: string): IgnoreGlobs {
  const expanded = patterns.flatMap((pattern) => {
    const trimmed = pattern.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    return trimmed.endsWith('/**') ? [trimmed] : [trimmed, `${trimmed}/**`];
  });
  return { base: baseDir, patterns: expanded };
}
