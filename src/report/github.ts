/**
 * GitHub Actions workflow commands: each finding becomes an `::error`, `::warning` or `::notice` annotation that
 * GitHub shows on the pull request diff, without a SARIF upload.
 *
 *   ::error file=server.js,line=29,title=no-auth::POST /api/generate calls …
 *
 * Annotation paths are resolved against the workspace (`baseDir`), so a scan of a subfolder still points at the
 * right file. Values are escaped the way the Actions runner unescapes them: `%`, CR and LF in the message, and
 * additionally `:` and `,` in properties, so text from the scanned code cannot end a property or start a
 * command of its own. Every value is first passed through `clean`, so no control character or `##[` reaches the log.
 */
import path from 'node:path';
import { type Finding, type ScanResult, type Severity, SEVERITIES, severityRank } from '../model.js';
import { compareErrors, compareFindings, sorted } from '../findings/order.js';
import { clean } from '../output/safe-text.js';
import { describeConfigEffect } from '../config/effect.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export const ANNOTATION_LEVEL: Readonly<Record<Severity, AnnotationLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
};

/** GitHub displays at most 10 error, 10 warning and 10 notice annotations per step (50 per job). */
export const ANNOTATIONS_SHOWN_PER_LEVEL = 10;

export interface GithubOptions {
  /** The folder annotation paths are relative to: the checkout (`GITHUB_WORKSPACE`). Default: the scanned root. */
  baseDir?: string;
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function workflowCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(clean(String(value)))}`)
    .join(',');
  const lines = message.split('\n').map(clean).join('\n');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(lines)}`;
}

function annotation(finding: Finding, filePath: (file: string) => string): string {
  const { location } = finding;
  const singleLine = location.endLine === location.line;
  return workflowCommand(
    ANNOTATION_LEVEL[finding.severity],
    {
      file: filePath(location.file),
      // GitHub shows a ranged annotation at its last line: a route registration spanning a handler is annotated
      // on its first line, where the route is named.
      line: location.line,
      endLine: singleLine ? location.endLine : undefined,
      // GitHub reads columns only on single-line annotations.
      col: singleLine ? location.column : undefined,
      endColumn: singleLine ? location.endColumn : undefined,
      title: finding.ruleId,
    },
    finding.help ? `${finding.message}\nFix: ${finding.help}` : finding.message,
  );
}

/** One workflow command per finding (suppressed ones left out), per-file problems as log lines, and a summary. */
export function renderGithub(result: ScanResult, options: GithubOptions = {}): string {
  const baseDir = options.baseDir ?? result.root;
  const filePath = (file: string) => {
    const relative = path.relative(baseDir, path.join(result.root, file));
    return (relative.startsWith('..') || path.isAbsolute(relative) ? path.join(result.root, file) : relative).split(path.sep).join('/');
  };
  // Most severe first: GitHub shows only the first few annotations of each level per step.
  const findings = sorted(result.findings, (a, b) => severityRank(b.severity) - severityRank(a.severity) || compareFindings(a, b)).filter(
    (f) => !f.suppressed,
  );
  const lines = findings.map((f) => annotation(f, filePath));
  for (const error of sorted(result.errors, compareErrors)) {
    const where = error.file === undefined ? '' : ` ${filePath(error.file)}${error.line ? `:${error.line}` : ''}`;
    // A log line, not an annotation: per-file problems do not belong on the diff. Escaped so it stays one line.
    lines.push(`ai-endpoint-audit: ${error.kind}${clean(where)}: ${clean(error.message)}`);
  }
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const perLevel = new Map<AnnotationLevel, number>();
  for (const f of findings) perLevel.set(ANNOTATION_LEVEL[f.severity], (perLevel.get(ANNOTATION_LEVEL[f.severity]) ?? 0) + 1);
  if ([...perLevel.values()].some((n) => n > ANNOTATIONS_SHOWN_PER_LEVEL)) {
    lines.push(
      `ai-endpoint-audit: GitHub shows ${ANNOTATIONS_SHOWN_PER_LEVEL} annotations of each level per step; every finding is listed above, and in the SARIF and Markdown reports.`,
    );
  }
  if (result.config) lines.push(workflowCommand('notice', { title: 'ai-endpoint-audit config' }, describeConfigEffect(result.config)));
  const endpoints = result.endpoints.length;
  lines.push(
    `ai-endpoint-audit: ${endpoints} AI endpoint${endpoints === 1 ? '' : 's'}, ${findings.length} finding${findings.length === 1 ? '' : 's'}${counts.length ? ` (${counts.join(', ')})` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
