/**
 * Owner declarations read from the scanned code's comments, never executed:
 * - `// ai-endpoint-audit public: <reason>` on or just above a route declares it public on purpose;
 * - `// ai-endpoint-audit-disable-next-line <rule-id>[, <rule-id>] -- <reason>` (and the same-line form
 *   `ai-endpoint-audit-disable-line`) suppresses findings at that line. The reason is required: a
 *   suppression without one is reported as a diagnostic and suppresses nothing.
 */
import type { Endpoint, Finding, ScanError } from '../model.js';
import type { FileTexts } from '../pipeline/apply-rules.js';
import { type CommentsByLine, commentsByLine } from '../parse/comments.js';

const PUBLIC_DECLARATION = /ai-endpoint-audit\s+public\s*:\s*(.*?)\s*(?:\*\/.*)?$/;
const SUPPRESSION = /ai-endpoint-audit-disable-(next-line|line)\b(.*)$/;
/** How far above a route a declaration may sit: its comment block and decorators. */
const DECLARATION_REACH = 6;

/** Marks endpoints declared public inline or matched by the config's `publicRoutes` globs. */
export function markDeclaredPublic(endpoints: Endpoint[], texts: FileTexts, publicRoutes: readonly string[] = []): void {
  const patterns = publicRoutes.map((glob) => ({ glob, re: globToRegExp(glob) }));
  for (const endpoint of endpoints) {
    const lines = texts.lines(endpoint.location.file);
    const inline = lines ? inlineDeclaration(lines, texts.comments(endpoint.location.file), endpoint.location.line) : undefined;
    if (inline) {
      endpoint.declaredPublic = {
        reason: inline.reason,
        source: 'inline',
        location: { file: endpoint.location.file, line: inline.line, column: 1, endLine: inline.line, endColumn: lines![inline.line - 1].length + 1 },
      };
      continue;
    }
    const match = patterns.find((p) => p.re.test(endpoint.path));
    if (match) endpoint.declaredPublic = { reason: `matches publicRoutes '${match.glob}' in the config`, source: 'config' };
  }
}

function inlineDeclaration(lines: string[], comments: CommentsByLine, anchorLine: number): { reason: string; line: number } | undefined {
  for (let line = anchorLine; line >= Math.max(1, anchorLine - DECLARATION_REACH); line--) {
    const text = lines[line - 1] ?? '';
    const match = (comments.get(line) ?? []).map((comment) => PUBLIC_DECLARATION.exec(comment)).find((m) => m !== null);
    if (match) return { reason: match[1] || 'declared public', line };
    const trimmed = text.trim();
    const continuesUpward = line === anchorLine || trimmed === '' || /^(\/\/|\/\*|\*|@)/.test(trimmed);
    if (!continuesUpward) return undefined;
  }
  return undefined;
}

/**
 * Applies inline suppressions and declared public routes. Suppressed findings keep their place in JSON and
 * SARIF with the justification; the text report and the exit code leave them out.
 */
export function applySuppressions(findings: Finding[], endpoints: readonly Endpoint[], texts: FileTexts): Finding[] {
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const suppress = (finding: Finding): Finding => {
    const endpoint = finding.endpointId ? byId.get(finding.endpointId) : undefined;
    if (finding.ruleId === 'no-auth' && endpoint?.declaredPublic) {
      const { reason, source } = endpoint.declaredPublic;
      return { ...finding, suppressed: { kind: source === 'inline' ? 'inSource' : 'external', justification: `declared public: ${reason}` } };
    }
    const comments = texts.comments(finding.location.file);
    for (const [line, form] of [[finding.location.line, 'line'], [finding.location.line - 1, 'next-line']] as const) {
      for (const comment of comments.get(line) ?? []) {
        const directive = parseSuppression(comment);
        if (!directive || directive.form !== form || !directive.rules.includes(finding.ruleId)) continue;
        if (directive.reason) return { ...finding, suppressed: { kind: 'inSource', justification: directive.reason } };
      }
    }
    return finding;
  };
  return findings.map(suppress);
}

/** Every suppression comment without a reason, wherever it is: it suppresses nothing and says so. */
export function reasonlessSuppressions(files: Iterable<{ relative: string; text: string }>): ScanError[] {
  const errors: ScanError[] = [];
  for (const file of files) {
    if (!file.text.includes('ai-endpoint-audit-disable')) continue;
    for (const [line, comments] of commentsByLine(file.relative, file.text)) {
      for (const comment of comments) {
        const directive = parseSuppression(comment);
        if (!directive || directive.reason) continue;
        const rules = directive.rules.length ? directive.rules.join(', ') : 'every rule';
        errors.push({ file: file.relative, line, kind: 'suppression', message: `suppression of ${rules} ignored: a reason is required after "--"` });
      }
    }
  }
  return errors;
}

interface SuppressionDirective {
  form: 'line' | 'next-line';
  rules: string[];
  reason: string;
}

export function parseSuppression(text: string | undefined): SuppressionDirective | undefined {
  const match = text ? SUPPRESSION.exec(text) : undefined;
  if (!match) return undefined;
  const [rulePart, ...reasonParts] = match[2].replace(/\*\/\s*$/, '').split('--');
  return {
    form: match[1] as 'line' | 'next-line',
    rules: rulePart.split(/[\s,]+/).filter(Boolean),
    reason: reasonParts.join('--').trim(),
  };
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split(/(\*\*\/?|\*)/)
    .map((part) => (part === '**' || part === '**/' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}
