/**
 * The GitHub Action (action.yml runs its bundle, action/dist/index.cjs, built by scripts/build-action.mjs): the scan
 * in-process, as the CLI runs it. The report goes to the log (annotations by default), the SARIF file and the job
 * summary are written, the step's outputs set, and the exit code is the CLI's: 0 clean, 1 a finding at or above
 * fail-on, 2 a usage or tool error.
 */
import path from 'node:path';
import { commitExists } from '../cli/changed-files.js';
import { complain, EXIT } from '../cli/exit.js';
import { type CliOptions, runScan, type ScanOutcome, writeSarifReport } from '../cli/main.js';
import { OutputFileError, printOut } from '../output/output.js';
import { type Finding, SEVERITIES } from '../model.js';
import { workflowCommand } from '../report/github.js';
import { renderMarkdown } from '../report/markdown.js';
import { type ActionInputs, InputError, readInputs } from './inputs.js';
import { appendSummary, setOutputs } from './workflow-files.js';

export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    fail(error.message);
    setOutputs({ 'exit-code': String(EXIT.error) }, env);
    return EXIT.error;
  }
  process.chdir(inputs.workingDirectory);
  const outcome = await runScan(inputs.paths.length > 0 ? inputs.paths : ['.'], cliOptions(inputs));
  const status = writeSarif(outcome, inputs.sarifFile) ? outcome.status : EXIT.error;
  if (outcome.reported && inputs.summary) appendSummary(renderMarkdown(outcome.reported), env);
  setOutputs(outputs(outcome, status, inputs.sarifFile), env);
  return status;
}

function cliOptions(inputs: ActionInputs): CliOptions {
  return {
    format: inputs.format,
    failOn: inputs.failOn,
    config: inputs.config,
    baseline: inputs.baseline,
    changedSince: changedSince(inputs),
    strict: inputs.strict,
    color: false,
    concurrency: 1,
  };
}

/** The pull request's base narrows the report only when the checkout has it (actions/checkout fetches one commit). */
function changedSince(inputs: ActionInputs): string | undefined {
  const ref = inputs.changedSince;
  if (!ref || !inputs.changedSinceFromPullRequest || commitExists(inputs.workingDirectory, ref)) return ref;
  annotate(
    'warning',
    `The pull request's base (${ref}) is not in the checkout: every finding is reported. ` +
      'Check out with fetch-depth: 0 to report only what the pull request touches.',
  );
  return undefined;
}

/**
 * The SARIF file holds every finding the baseline leaves, even when changed-since narrows the log and the summary:
 * code scanning compares each upload with the base branch, and a narrowed upload would make the other alerts look fixed.
 */
function writeSarif(outcome: ScanOutcome, file: string | undefined): boolean {
  if (!file || !outcome.beforeChangedSince) return true;
  try {
    writeSarifReport(outcome.beforeChangedSince, file);
    return true;
  } catch (error) {
    if (!(error instanceof OutputFileError)) throw error;
    fail(error.message);
    return false;
  }
}

function outputs(outcome: ScanOutcome, status: number, sarifFile: string | undefined): Record<string, string> {
  const findings = outcome.reported?.findings.filter((finding) => !finding.suppressed) ?? [];
  return {
    'exit-code': String(status),
    findings: String(findings.length),
    'highest-severity': highestSeverity(findings),
    endpoints: String(outcome.reported?.endpoints.length ?? 0),
    'sarif-file': sarifFile && outcome.beforeChangedSince ? path.resolve(sarifFile) : '',
  };
}

function highestSeverity(findings: readonly Finding[]): string {
  return SEVERITIES.find((severity) => findings.some((finding) => finding.severity === severity)) ?? 'none';
}

/** On stderr for the log, and as an error annotation so the run's page says why the step failed. */
function fail(message: string): void {
  complain(message);
  annotate('error', message);
}

function annotate(level: 'error' | 'warning', message: string): void {
  printOut(`${workflowCommand(level, { title: 'ai-endpoint-audit' }, message)}\n`, { workflowCommands: true });
}
