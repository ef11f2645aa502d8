/**
 * A Markdown summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`: counts, the inventory of AI endpoints
 * with their protections, and the findings table.
 *
 * Text that comes from the scanned code is escaped for GitHub-flavoured Markdown, so a route path or message
 * cannot break the table, inject HTML, mention anyone or add links, and each cell is capped in length.
 */
import { type Endpoint, type Finding, type ScanResult, SEVERITIES } from '../model.js';
import { compareByLocation, compareEndpoints, compareFindings, sorted } from '../findings/order.js';
import { clean, truncate } from '../output/safe-text.js';
import { describeConfigEffect } from '../config/effect.js';

export const RULE_DOCS_URL = 'https://github.com/ai-endpoint-audit/ai-endpoint-audit/blob/main/rules';

/** A PR comment holds 65,536 characters; long lists are cut with a note. */
const MAX_ROWS = 150;

const YES = '✅';
const NO = '❌';
const WEAK = '⚠️';

const SEVERITY_ICON = { critical: '🛑', high: '🔴', medium: '🟠', low: '🔵' } as const;

/** A table cell shows at most this many characters of a value from the scanned code. */
export const MAX_CELL_CHARS = 200;

/** Plain text in a table cell: one line, capped, Markdown punctuation and HTML escaped, no @mention. */
export function escapeText(text: string, max = MAX_CELL_CHARS): string {
  return clean(truncate(oneLine(text), max))
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]|~#!()]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;');
}

/**
 * Code in a table cell: a code span fenced by one more backtick than the longest run inside, so nothing closes
 * it early; pipes escaped (GitHub splits cells before reading code spans). Mentions and HTML are inert in a span.
 */
export function code(text: string): string {
  const inside = clean(truncate(oneLine(text), MAX_CELL_CHARS)).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...[...inside.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = longestRun > 0 || inside.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${inside}${pad}${fence}`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function rateLimitCell(endpoint: Endpoint): string {
  const keys = [...new Set(sorted(endpoint.facts.rateLimits, compareByLocation).map((f) => f.key))];
  if (keys.length === 0) return NO;
  if (keys.every((k) => k === 'client')) return `${WEAK} client-keyed`;
  return `${YES} ${keys.map((k) => (k === 'client' ? 'client-keyed' : k === 'unknown' ? 'key unknown' : k)).join(', ')}`;
}

function endpointRow(endpoint: Endpoint): string {
  const calls = sorted(endpoint.aiCalls, compareByLocation).map((call) =>
    code(`${call.provider} ${call.api}${call.model ? ` (${call.model})` : ''}`),
  );
  const method = endpoint.method === 'ALL' ? 'ANY' : endpoint.method;
  return [
    code(`${method} ${endpoint.path}`),
    code(`${endpoint.location.file}:${endpoint.location.line}`),
    calls.join('<br>'),
    endpoint.facts.auth.length > 0 ? YES : endpoint.declaredPublic ? `${WEAK} public` : NO,
    rateLimitCell(endpoint),
    endpoint.facts.spendCaps.length > 0 ? YES : NO,
    endpoint.facts.unboundedInputs.length === 0 ? YES : NO,
  ].join(' | ');
}

function findingRow(finding: Finding): string {
  return [
    `${SEVERITY_ICON[finding.severity]} ${finding.severity}`,
    `[${escapeText(finding.ruleId)}](${RULE_DOCS_URL}/${encodeURIComponent(finding.ruleId)}.md)`,
    code(`${finding.location.file}:${finding.location.line}`),
    escapeText(finding.message),
  ].join(' | ');
}

function table(header: string[], rows: string[]): string[] {
  const shown = rows.slice(0, MAX_ROWS).map((row) => `| ${row} |`);
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...shown];
  if (rows.length > MAX_ROWS) lines.push('', `…and ${rows.length - MAX_ROWS} more; see the full report.`);
  return lines;
}

export function renderMarkdown(result: ScanResult): string {
  const endpoints = sorted(result.endpoints, compareEndpoints);
  const all = sorted(result.findings, compareFindings);
  const findings = all.filter((f) => !f.suppressed);
  const suppressed = all.length - findings.length;
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);

  const lines: string[] = ['## ai-endpoint-audit', ''];
  const summary = [
    `**${plural(endpoints.length, 'AI endpoint')}**`,
    `**${plural(findings.length, 'finding')}**${counts.length ? ` (${counts.join(', ')})` : ''}`,
    `${plural(result.stats.files, 'file')} scanned`,
  ];
  if (suppressed > 0) summary.push(`${suppressed} suppressed`);
  if (result.errors.length > 0) summary.push(plural(result.errors.length, 'problem'));
  lines.push(summary.join(' · '), '');
  if (result.config) lines.push(escapeText(describeConfigEffect(result.config), 4000).replace(/^config /, 'Config file '), '');

  lines.push('### Endpoints', '');
  if (endpoints.length === 0) {
    lines.push('No HTTP endpoints that call paid AI models were found.', '');
  } else {
    lines.push(...table(['Endpoint', 'Location', 'AI calls', 'Auth', 'Rate limit', 'Spend cap', 'Input bounds'], endpoints.map(endpointRow)), '');
  }

  lines.push('### Findings', '');
  if (findings.length === 0) {
    lines.push('No findings.', '');
  } else {
    lines.push(...table(['Severity', 'Rule', 'Location', 'Message'], findings.map(findingRow)), '');
  }
  lines.push(`<sub>${escapeText(`${result.tool.name} ${result.tool.version}`)}</sub>`);
  return `${lines.join('\n')}\n`;
}
