/**
 * Finding the config file: the nearest one walking up from the scanned folder, stopping at the repository root
 * (the folder holding `.git`), or only the scanned folder outside a repository. Needs no parser, so a scan without a config loads none.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { clean } from '../output/safe-text.js';
import { CONFIG_FILE_NAMES } from './settings.js';

export interface ConfigProblem {
  line?: number;
  column?: number;
  message: string;
}

/** An unreadable or invalid config file. The CLI prints `message` and exits 2. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      problems
        // Keys and values come from the scanned tree: each problem stays one safe line.
        .map((p) => `${clean(file)}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}: ${clean(p.message)}`)
        .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * The config file for a scan of `startDir`: the nearest one walking up to the repository root (the folder holding
 * `.git`). Outside a repository only `startDir` itself is looked in: a file planted above the project never applies.
 */
export function findConfigFile(startDir: string): string | undefined {
  const start = path.resolve(startDir);
  const top = repositoryRoot(start) ?? start;
  for (let dir = start; ; dir = path.dirname(dir)) {
    const present = CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).filter((file) => isFile(file));
    if (present.length > 1) {
      throw new ConfigError(present[0]!, [
        { message: `more than one config file in ${dir} (${present.map((f) => path.basename(f)).join(', ')}); keep one` },
      ]);
    }
    if (present.length === 1) return present[0];
    if (dir === top || path.dirname(dir) === dir) return undefined;
  }
}

/** The nearest folder at or above `dir` that holds `.git` (a folder, or a file in a worktree). */
export function repositoryRoot(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
