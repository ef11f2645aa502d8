/**
 * `ai-endpoint-audit guard --framework <framework> [--store memory|redis|postgres] [--out <dir>] [--force] [--new]`:
 * writes the reference guard's sources into the project and prints how to wire them in.
 */
import { type Command, Option } from 'commander';
import path from 'node:path';
import {
  GUARD_FRAMEWORKS,
  GUARD_STORES,
  type GuardFramework,
  type GuardStoreKind,
  GuardFilesExistError,
  defaultOutDir,
  generateGuard,
  wiringInstructions,
} from '../guard/generate.js';
import { complain, EXIT, setExitStatus } from './exit.js';
import { printOut } from '../output/output.js';

interface GuardCliOptions {
  framework: GuardFramework;
  store: GuardStoreKind;
  out?: string;
  force?: boolean;
  new?: boolean;
}

export function registerGuardCommand(program: Command): void {
  program
    .command('guard')
    .description('write a reference guard (auth, rate limits, input limits, daily spend cap, alerts, audit log) into your project')
    .addOption(new Option('--framework <framework>', 'the framework of the routes to guard').choices([...GUARD_FRAMEWORKS]).makeOptionMandatory())
    .addOption(new Option('--store <store>', 'where the counters live: memory is for one process only').choices([...GUARD_STORES]).default('memory'))
    .option('--out <dir>', 'folder to write the guard to (default: src/ai-guard or lib/ai-guard)')
    .option('--force', 'replace guard files this command wrote and nobody changed since')
    .option('--new', 'write <file>.new beside each existing file it does not replace')
    .action(function (this: Command, options: GuardCliOptions) {
      setExitStatus(this, runGuard(options));
    });
}

function runGuard(options: GuardCliOptions): number {
  const cwd = process.cwd();
  const outDir = path.resolve(cwd, options.out ?? defaultOutDir(options.framework, cwd));
  let written;
  try {
    written = generateGuard({ framework: options.framework, store: options.store, outDir, force: options.force, writeNew: options.new, projectDir: cwd });
  } catch (error) {
    const message = error instanceof GuardFilesExistError ? `nothing written: ${error.message}` : `cannot write the guard: ${(error as Error).message}`;
    complain(message);
    return EXIT.error;
  }
  const shown = (file: string) => path.relative(cwd, file) || file;
  const lines = written.map((file) => `  ${file.replaced ? 'replaced' : 'wrote'}  ${shown(file.path)}`);
  if (written.some((file) => file.path.endsWith('.new'))) lines.push('  (compare each .new file with yours and merge what you want to keep)');
  const importPath = toImportPath(path.relative(cwd, outDir));
  printOut(`Guard for ${options.framework} with the ${options.store} store:\n${lines.join('\n')}\n\n${wiringInstructions(options.framework, options.store, importPath)}\n`);
  return EXIT.clean;
}

function toImportPath(relative: string): string {
  const posix = relative.split(path.sep).join('/');
  return posix.startsWith('.') ? posix : `./${posix}`;
}
