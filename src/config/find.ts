/**
 * Finding the config file: the nearest one walking up from the scanned folder, stopping at the repository root
 * (the folder holding `.git`) or the filesystem root. Needs no parser, so a scan without a config loads none.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { clean } from '../report/safe-text.js';
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

/** The config file for a scan of `startDir`: the nearest one walking up, stopping at the repository root. */
export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const present = CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).filter((file) => isFile(file));
    if (present.length > 1) {
      throw new ConfigError(present[0]!, [
        { message: `more than one config file in ${dir} (${present.map((f) => path.basename(f)).join(', ')}); keep one` },
      ]);
    }
    if (present.length === 1) return present[0];
    const parent = path.dirname(dir);
    if (existsSync(path.join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
