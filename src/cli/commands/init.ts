/** `init` writes a commented starter config, `.ai-endpoint-audit.yml`, and never overwrites one without --force. */
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAMES, ruleInfo } from '../../config/settings.js';
import { starterConfig } from '../../config/starter.js';
import { complain, EXIT, setExitStatus } from '../exit.js';
import { printOut, writeFileNoFollow } from '../../output/output.js';

interface InitOptions {
  force?: boolean;
}

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented starter config, .ai-endpoint-audit.yml')
    .argument('[dir]', 'the folder to write it in', '.')
    .option('--force', 'overwrite an existing config file')
    .action(function (this: Command, dir: string, options: InitOptions) {
      setExitStatus(this, init(dir, options));
    });
}

function init(dir: string, options: InitOptions): number {
  const folder = path.resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    complain(`not a folder: ${dir}`);
    return EXIT.error;
  }
  const target = path.join(folder, CONFIG_FILE_NAMES[0]);
  const existing = CONFIG_FILE_NAMES.map((name) => path.join(folder, name)).filter((file) => existsSync(file));
  if (existing.length > 0 && !options.force) {
    complain(`${path.relative(process.cwd(), existing[0]!) || existing[0]} already exists; use --force to overwrite it`);
    return EXIT.error;
  }
  const others = existing.filter((file) => file !== target);
  if (others.length > 0) {
    // Two config files in one folder is an error at scan time; --force replaces the YAML file only.
    complain(`${others.map((f) => path.basename(f)).join(', ')} exists too; remove it so only one config file remains`);
    return EXIT.error;
  }
  try {
    writeFileNoFollow(target, starterConfig(ruleInfo()));
  } catch (error) {
    complain(`cannot write ${target}: ${(error as Error).message}`);
    return EXIT.error;
  }
  printOut(`wrote ${path.relative(process.cwd(), target) || target}\n`);
  return EXIT.clean;
}
