/**
 * The command line: `ai-endpoint-audit [paths...]` scans; subcommands (`rules`, `explain`, `init`) are registered
 * in `buildProgram`, one import and one call each. Reports go to stdout or --output; progress and per-file
 * problems to stderr. Exit codes: 0 no finding at or above --fail-on, 1 at least one, 2 usage or tool error.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import { RULES } from '../../rules/index.js';
import { configEffect } from '../config/effect.js';
import { ConfigError, findConfigFile, repositoryRoot } from '../config/find.js';
import { type AuditConfig, defaultConfig, FAIL_ON_VALUES, type FailOn } from '../config/settings.js';
import type * as Engine from '../pipeline/scan.js';
import { type Confidence, CONFIDENCES, type Finding, type ScanResult, severityRank } from '../model.js';
import { renderGithub } from '../report/github.js';
import { renderJsonPieces } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarifPieces } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { TOOL } from '../version.js';
import { changedFindings } from './changed-endpoints.js';
import { ChangedFilesError, changedFiles } from './changed-files.js';
import { registerInitCommand } from './commands/init.js';
import { registerGuardCommand } from './guard-command.js';
import { registerRulesCommands } from './commands/rules.js';
import { complain, EXIT, exitStatus, setExitStatus, UsageError } from './exit.js';
import { expandPaths, protectPathAfterDoubleDash } from './paths.js';
import { OutputFileError, printErr, printOut, printPiecesOut, writeFileNoFollow } from '../output/output.js';
import { createProgress, progressEnabled } from './progress.js';
import { clean, safeOutputPieces, type SafeOutputOptions } from '../output/safe-text.js';

export { EXIT } from './exit.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export interface CliOptions {
  format: Format;
  output?: string;
  sarifOutput?: string;
  markdownOutput?: string;
  /** Undefined when the flag is not given: the config's `failOn`, then `high`. */
  failOn?: FailOn;
  /** Undefined when the flag is not given: the config's `minConfidence`, then `low` (every finding counts). */
  minConfidence?: Confidence;
  /** A file, or false for --no-config. */
  config?: string | false;
  baseline?: string;
  writeBaseline?: string;
  changedSince?: string;
  quiet?: boolean;
  color?: boolean;
  strict?: boolean;
  concurrency: number | 'auto';
}

function parseConcurrency(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  if (value === 'off') return 1;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError('expected a whole number of threads, auto or off');
  return threads;
}

const DEFAULT_FAIL_ON: FailOn = 'high';

/** A problem with the request: printed, and the run exits 2. */

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(protectPathAfterDoubleDash(argv, subcommands(program)));
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.clean : EXIT.error;
    throw error;
  }
  return exitStatus(program);
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ai-endpoint-audit')
    .description('Find HTTP routes that call paid AI models and report the protections they are missing.')
    .version(TOOL.version, '--version')
    .argument('[paths...]', 'files, folders or quoted globs to scan', ['.'])
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--sarif-output <file>', 'also write a SARIF report to this file (for code scanning upload)')
    .option('--markdown-output <file>', 'also write a Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (default: failOn from the config, else high)').choices(
        FAIL_ON_VALUES,
      ),
    )
    .addOption(
      new Option('--min-confidence <level>', 'count only findings at or above this confidence for the exit code (default: minConfidence from the config, else low: all)').choices(
        [...CONFIDENCES],
      ),
    )
    .option('--config <file>', 'config file (default: the nearest .ai-endpoint-audit.yml, .yaml or .json walking up to the repository root)')
    .option('--no-config', 'ignore config files')
    .option('--baseline <file>', 'report only findings that are not in this baseline file')
    .option('--write-baseline <file>', 'write the current findings to a baseline file (the run then exits 0)')
    .option('--changed-since <git-ref>', 'report only findings on endpoints that touch a file changed since this git ref')
    .option('-q, --quiet', 'no progress line and no per-file problems on stderr')
    .option('--no-color', 'plain text output')
    .option('--strict', 'exit 2 when any file could not be analyzed (unreadable, too large, syntax error, skipped link...)')
    .option('--concurrency <threads>', 'analysis threads: a number, auto (several only on 4+ cores and large projects) or off (one)', parseConcurrency, 1)
    .addHelpText(
      'after',
      `\nPaths: an existing file or folder is always scanned; a quoted glob ('src/**/api/*.ts') is expanded without
  a shell. Scan a folder named like a subcommand as ./rules, rules/ or after --: -- rules.
\nRules:\n${RULES.map((r) => `  ${r.meta.id.padEnd(26)} ${r.meta.severity.padEnd(8)} ${r.meta.shortDescription}`).join('\n')}\n\nExit codes: 0 clean, 1 findings at or above --fail-on (and --min-confidence), 2 usage or tool error (with --strict, also any file that could not be analyzed).`,
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => printErr(s), writeOut: (s) => printOut(s) })
    .action(async (paths: string[], options: CliOptions) => {
      setExitStatus(program, (await runScan(paths, options, subcommands(program))).status);
    });
  registerRulesCommands(program);
  registerInitCommand(program);
  registerGuardCommand(program);
  return program;
}

function subcommands(program: Command): string[] {
  return program.commands.map((command) => command.name());
}

/** What a scan run produced: its exit status and, when the scan ran, the result as reported. */
export interface ScanOutcome {
  status: number;
  reported?: ScanResult;
  /** The reported result before --changed-since narrowed it (the baseline is applied). */
  beforeChangedSince?: ScanResult;
}

/**
 * The scan as the command line runs it, for the CLI and the GitHub Action: reports printed and written, problems on
 * stderr. `commands` are the subcommand names a misspelt first path is compared with.
 */
export async function runScan(paths: string[], options: CliOptions, commands: readonly string[] = []): Promise<ScanOutcome> {
  // Loaded here, not at the top: `--version`, `rules` and `explain` stay fast without the compiler.
  const engine = await import('../pipeline/scan.js');
  try {
    return await audit(engine, expandPaths(paths, commands), options);
  } catch (error) {
    if (error instanceof ConfigError) {
      complain(`invalid config:\n${error.message}`);
    } else if (
      error instanceof UsageError ||
      error instanceof engine.ScanUsageError ||
      error instanceof OutputFileError ||
      error instanceof ChangedFilesError
    ) {
      complain(error.message);
    } else {
      complain(`scan failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
    return { status: EXIT.error };
  }
}

async function audit(engine: typeof Engine, paths: string[], options: CliOptions): Promise<ScanOutcome> {
  if (options.writeBaseline && options.changedSince) {
    throw new UsageError('--write-baseline records every finding; it cannot be combined with --changed-since');
  }
  const root = engine.scanRoot(paths);
  const config = await loadConfig(options, root);
  // Fail fast on the inputs that do not need the scan.
  // The baseline and config readers load their validators only when a run needs them.
  const baselines = options.baseline || options.writeBaseline ? await import('./baseline.js') : undefined;
  const baseline = options.baseline && baselines ? baselines.readBaseline(options.baseline) : undefined;
  const changed = options.changedSince ? changedFiles(root, options.changedSince) : undefined;

  const progress = createProgress(process.stderr, progressEnabled(process.stderr, process.env, options.quiet === true));
  let result: ScanResult;
  try {
    result = await engine.scan({ paths, config, concurrency: options.concurrency, onProgress: (p) => progress.update(p) });
  } finally {
    progress.done();
  }
  if (!options.quiet) {
    for (const problem of result.errors) {
      complain(`${clean(problem.file ?? '')}${problem.line ? `:${problem.line}` : ''} ${clean(problem.message)}`);
    }
  }

  if (options.writeBaseline && baselines) {
    const written = baselines.createBaseline(result);
    baselines.writeBaseline(options.writeBaseline, written);
    if (!options.quiet) complain(`wrote ${written.findings.length} finding(s) to the baseline ${options.writeBaseline}`);
  }

  const newFindings = baseline && baselines ? baselines.newFindings(result.findings, baseline) : result.findings;
  const effect = configEffect(config, result, options);
  const beforeChangedSince: ScanResult = { ...result, findings: newFindings, ...(effect ? { config: effect } : {}) };
  const findings = changed ? changedFindings(newFindings, result, config.file, changed) : newFindings;
  const reported: ScanResult = { ...beforeChangedSince, findings };

  writeReport(render(reported, options), options.output, outputOptions(options));
  if (options.sarifOutput) writeSarifReport(reported, options.sarifOutput);
  if (options.markdownOutput) writeReport(renderMarkdown(reported), options.markdownOutput);

  return { status: auditStatus(result, findings, config, options), reported, beforeChangedSince };
}

function auditStatus(result: ScanResult, findings: Finding[], config: AuditConfig, options: CliOptions): number {
  if (options.strict && result.errors.length > 0) {
    complain(`--strict: ${result.errors.length} file problem(s) ${options.quiet ? 'listed in the report' : 'above'}`);
    return EXIT.error;
  }
  if (options.writeBaseline) return EXIT.clean;
  const counted = atLeastConfidence(findings, options.minConfidence ?? config.minConfidence ?? 'low');
  return failing(counted, options.failOn ?? config.failOn ?? DEFAULT_FAIL_ON) ? EXIT.findings : EXIT.clean;
}

export function writeSarifReport(result: ScanResult, file: string): void {
  writeReport(renderSarifPieces(result, undefined, { repositoryRoot: repositoryRoot(result.root) }), file);
}

async function loadConfig(options: CliOptions, root: string): Promise<AuditConfig> {
  if (options.config === false) return defaultConfig(root);
  const file = options.config ?? findConfigFile(root);
  return file ? (await import('../config/load.js')).loadConfigFile(file) : defaultConfig(root);
}

/**
 * Reports pass the same output filter whether printed or written: a saved report is read in logs and terminals too.
 * JSON and SARIF come in pieces, never joined: a report of 100,000 routes is longer than a string can be.
 */
function writeReport(report: string | Iterable<string>, file: string | undefined, safety: SafeOutputOptions = {}): void {
  const pieces = typeof report === 'string' ? [report] : report;
  if (file) writeFileNoFollow(file, safeOutputPieces(pieces, safety));
  else printPiecesOut(pieces, safety);
}

function outputOptions(options: CliOptions): SafeOutputOptions {
  if (options.format === 'github') return { workflowCommands: true };
  return { colour: options.format === 'text' && useColor(options) };
}

function render(result: ScanResult, options: CliOptions): string | Iterable<string> {
  switch (options.format) {
    case 'json':
      return renderJsonPieces(result);
    case 'sarif':
      return renderSarifPieces(result, undefined, { repositoryRoot: repositoryRoot(result.root) });
    case 'github':
      return renderGithub(result, { baseDir: path.resolve(process.env.GITHUB_WORKSPACE || process.cwd()) });
    case 'markdown':
      return renderMarkdown(result);
    default:
      return renderText(relativeToCurrentFolder(result), { color: useColor(options) });
  }
}

/**
 * The text report names files from the current folder, so that a terminal opens them whichever folder was
 * scanned; JSON, SARIF and the others keep their documented base, the scanned root.
 */
function relativeToCurrentFolder(result: ScanResult): ScanResult {
  const prefix = path.relative(process.cwd(), result.root).split(path.sep).join('/');
  if (prefix === '') return result;
  const rebase = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return key === 'file' ? `${prefix}/${value}` : value;
    if (Array.isArray(value)) return value.map((item) => rebase(item));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebase(v, k)]));
  };
  return { ...result, findings: rebase(result.findings) as Finding[], endpoints: rebase(result.endpoints) as ScanResult['endpoints'], errors: rebase(result.errors) as ScanResult['errors'] };
}

function useColor(options: CliOptions): boolean {
  if (options.color === false || options.output) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

/** Findings the run counts for its exit code: those at least as confident as asked. */
function atLeastConfidence(findings: readonly Finding[], minimum: Confidence): Finding[] {
  const rank = (c: Confidence) => CONFIDENCES.length - CONFIDENCES.indexOf(c);
  return findings.filter((f) => rank(f.confidence ?? 'high') >= rank(minimum));
}

/** Suppressed findings stay in JSON and SARIF but never fail the run. */
function failing(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return findings.some((f) => !f.suppressed && severityRank(f.severity) >= severityRank(failOn));
}
