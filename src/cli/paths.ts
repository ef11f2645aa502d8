/**
 * The scanned paths as typed: an existing path is scanned as it is; a glob (`'src/**\/api/*.ts'`, quoted so
 * that the shell leaves it alone) is expanded here, without a shell; a first word that is neither an existing
 * path nor a glob but close to a subcommand's name is a misspelt subcommand.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { suggestion } from '../config/did-you-mean.js';
import { UsageError } from './exit.js';

/** Folders a glob does not descend into: they are never scanned anyway. */
const NOT_WALKED = new Set(['node_modules', '.git']);

export function expandPaths(paths: readonly string[], commands: readonly string[], cwd = process.cwd()): string[] {
  const [first] = paths;
  if (first !== undefined && !existsSync(path.resolve(cwd, first)) && !picomatch.scan(first).isGlob) {
    const meant = suggestion(first, commands);
    if (meant) throw new UsageError(`unknown command "${first}"${meant}; a path to scan must exist`);
  }
  return paths.flatMap((p) => (existsSync(path.resolve(cwd, p)) || !picomatch.scan(p).isGlob ? [p] : matching(p, cwd)));
}

/** The files and folders a glob matches (a matching folder is not searched further), relative to cwd. */
function matching(glob: string, cwd: string): string[] {
  const pattern = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  const { base } = picomatch.scan(pattern);
  const isMatch = picomatch(pattern);
  const found: string[] = [];
  const walk = (relative: string) => {
    let entries;
    try {
      entries = readdirSync(path.resolve(cwd, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (NOT_WALKED.has(entry.name)) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (isMatch(child)) found.push(child);
      else if (entry.isDirectory()) walk(child);
    }
  };
  walk(base);
  if (found.length === 0) throw new UsageError(`no file or folder matches ${glob}`);
  return found.sort();
}

/**
 * `ai-endpoint-audit -- rules` scans a path named like a subcommand: the word after a `--` is written `./rules`,
 * which commander does not take for the subcommand (`./rules` and `rules/` work without the `--` too).
 */
export function protectPathAfterDoubleDash(argv: readonly string[], commands: readonly string[]): string[] {
  const separator = argv.indexOf('--', 2);
  const next = argv[separator + 1];
  if (separator === -1 || next === undefined || !commands.includes(next)) return [...argv];
  return [...argv.slice(0, separator + 1), `./${next}`, ...argv.slice(separator + 2)];
}
