/**
 * The scan's findings in the editor: an ESLint plugin whose rules (one per rule id) report the project scan's
 * findings on the file being linted, so VS Code and every ESLint integration show them inline.
 *
 *   // eslint.config.js
 *   import aiEndpointAudit from 'ai-endpoint-audit/eslint';
 *   export default [aiEndpointAudit.configs.recommended];
 *
 * ESLint rules run synchronously, so the project is scanned by this package's own CLI in a child process (the
 * scanned code is never run). It is scanned once per lint run and project folder; a later lint of a file whose
 * text changed since it was last linted (an editor session) scans again.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../../rules/index.js';
import type { Severity } from '../model.js';
import type { JsonFinding } from '../report/json.js';

const PLUGIN = 'ai-endpoint-audit';
const SCAN_TIMEOUT_MS = 120_000;

/** A finding as the JSON report gives it, reduced to what a lint message needs. */
type LintFinding = Pick<JsonFinding, 'ruleId' | 'message' | 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>;

interface ProjectScan {
  findings: LintFinding[];
  /** The text each linted file had when its findings were last reported. */
  linted: Map<string, string>;
  failure?: string;
}

const scans = new Map<string, ProjectScan>();

/** The minimal shape of ESLint's rule context this plugin reads. */
interface RuleContext {
  cwd: string;
  filename: string;
  sourceCode: { text: string };
  report(descriptor: { loc: { start: { line: number; column: number }; end: { line: number; column: number } }; message: string }): void;
}

function findingsFor(context: RuleContext, ruleId: string): LintFinding[] {
  const file = path.relative(context.cwd, context.filename).split(path.sep).join('/');
  if (file.startsWith('..')) return [];
  const scan = currentScan(context.cwd, file, digest(context.sourceCode.text));
  return scan.findings.filter((f) => f.ruleId === ruleId && f.file === file);
}

function currentScan(root: string, file: string, textDigest: string): ProjectScan {
  let scan = scans.get(root);
  const before = scan?.linted.get(file);
  if (!scan || (before !== undefined && before !== textDigest)) {
    scan = scanProject(root);
    scans.set(root, scan);
  }
  scan.linted.set(file, textDigest);
  return scan;
}

function scanProject(root: string): ProjectScan {
  const run = spawnSync(process.execPath, [cliPath(), root, '--format', 'json', '--fail-on', 'none'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: SCAN_TIMEOUT_MS,
  });
  try {
    const report = JSON.parse(run.stdout) as { findings: LintFinding[] };
    return { findings: report.findings, linted: new Map() };
  } catch {
    return { findings: [], linted: new Map(), failure: (run.stderr || String(run.error ?? 'no report')).slice(0, 500) };
  }
}

/** This package's CLI, from the source tree or from `dist/` alike. */
function cliPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'bin', 'ai-endpoint-audit.js');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('ai-endpoint-audit: its command-line entry is missing from this installation');
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function lintRule(id: string, description: string, url: string | undefined) {
  return {
    meta: { type: 'problem' as const, docs: { description, ...(url ? { url } : {}) }, schema: [] },
    create(context: RuleContext) {
      return {
        'Program:exit'() {
          for (const finding of findingsFor(context, id)) {
            context.report({
              loc: { start: { line: finding.line, column: finding.column - 1 }, end: { line: finding.endLine, column: finding.endColumn - 1 } },
              message: finding.message,
            });
          }
        },
      };
    },
  };
}

const SEVERITY_LEVEL: Readonly<Record<Severity, 'error' | 'warn'>> = { critical: 'error', high: 'error', medium: 'warn', low: 'warn' };

const plugin = {
  meta: { name: PLUGIN },
  rules: Object.fromEntries(RULES.map(({ meta }) => [meta.id, lintRule(meta.id, meta.shortDescription, meta.helpUri)])),
  configs: {} as Record<string, unknown>,
};

/** Every rule at its default severity: critical and high as errors, medium and low as warnings. */
export const recommended = {
  name: `${PLUGIN}/recommended`,
  plugins: { [PLUGIN]: plugin },
  rules: Object.fromEntries(RULES.map(({ meta }) => [`${PLUGIN}/${meta.id}`, SEVERITY_LEVEL[meta.severity]])),
};

plugin.configs.recommended = recommended;

/** Forgets the scans made so far (a test, or a long-lived process that wants a fresh one). */
export function clearScans(): void {
  scans.clear();
}

export default plugin;
