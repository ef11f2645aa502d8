/**
 * The command line: `ai-endpoint-audit [paths...]`. Reports go to stdout or --output; progress and per-file
 * problems to stderr. Exit codes: 0 no finding at or above --fail-on, 1 at least one, 2 usage or tool error.
 */
import { Command, CommanderError, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { RULES } from '../../rules/index.js';
import { scan, ScanUsageError } from '../engine/scan.js';
import { type ScanResult, type Severity, severityRank } from '../model.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { TOOL } from '../version.js';

export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

type Format = 'text' | 'json' | 'sarif';
type FailOn = Severity | 'none';

interface CliOptions {
  format: Format;
  output?: string;
  failOn: FailOn;
  color?: boolean;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.clean : EXIT.error;
    throw error;
  }
  return (program as Command & { exitStatus?: number }).exitStatus ?? EXIT.clean;
}

function buildProgram(): Command {
  const program = new Command();
  program
    .name('ai-endpoint-audit')
    .description('Find HTTP routes that call paid AI models and report the protections they are missing.')
    .version(TOOL.version, '--version')
    .argument('[paths...]', 'files or folders to scan', ['.'])
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'sarif']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['critical', 'high', 'medium', 'low', 'none']).default('high'))
    .option('--no-color', 'plain text output')
    .addHelpText('after', `\nRules:\n${RULES.map((r) => `  ${r.meta.id.padEnd(26)} ${r.meta.severity.padEnd(8)} ${r.meta.shortDescription}`).join('\n')}\n\nExit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or tool error.`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .action(async (paths: string[], options: CliOptions) => {
      (program as Command & { exitStatus?: number }).exitStatus = await run(paths, options);
    });
  return program;
}

async function run(paths: string[], options: CliOptions): Promise<number> {
  let result: ScanResult;
  try {
    result = await scan({ paths });
  } catch (error) {
    process.stderr.write(`ai-endpoint-audit: ${error instanceof ScanUsageError ? error.message : `scan failed: ${error instanceof Error ? error.stack : String(error)}`}\n`);
    return EXIT.error;
  }
  for (const problem of result.errors) {
    process.stderr.write(`ai-endpoint-audit: ${problem.file ?? ''}${problem.line ? `:${problem.line}` : ''} ${problem.message}\n`);
  }
  const report = render(result, options);
  if (options.output) {
    try {
      writeFileSync(options.output, report);
    } catch (error) {
      process.stderr.write(`ai-endpoint-audit: cannot write ${options.output}: ${(error as Error).message}\n`);
      return EXIT.error;
    }
  } else {
    process.stdout.write(report);
  }
  return failing(result, options.failOn) ? EXIT.findings : EXIT.clean;
}

function render(result: ScanResult, options: CliOptions): string {
  switch (options.format) {
    case 'json':
      return renderJson(result);
    case 'sarif':
      return renderSarif(result);
    default:
      return renderText(result, { color: useColor(options) });
  }
}

function useColor(options: CliOptions): boolean {
  if (options.color === false || options.output) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

function failing(result: ScanResult, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
}
