/**
 * The human-readable report for a terminal: an inventory of AI endpoints with their protections,
 * findings grouped by endpoint with a one-line fix each, per-file problems, and a summary line.
 *
 * Everything that comes from the scanned code (paths, routes, messages) is passed through `clean` (safe-text.ts), so
 * a hostile repository cannot smuggle terminal escape sequences or bidirectional-text tricks into the
 * output.
 */

import { Chalk, type ChalkInstance } from 'chalk';

import { SEVERITIES, severityRank, type Endpoint, type Exposure, type Finding, type ProtectionKind, type RateLimitKey, type ScanResult, type Severity, type SkippedFileMention } from '../model.js';
import { compareByLocation, compareEndpoints, compareErrors, compareFindings, sorted } from '../findings/order.js';
import { clean } from '../output/safe-text.js';
import { endpointFixes } from '../findings/fix-advice.js';
import { describeConfigEffect } from '../config/effect.js';
import { formatUsd, perRequestUsd } from '../pricing/estimate.js';

export interface TextOptions {
  color: boolean;
}

const OK = '✓';
const MISSING = '✗';
const UNKNOWN = '?';
const DOT = ' · ';

const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));


function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

function where(file: string, line?: number): string {
  return line === undefined ? clean(file) : `${clean(file)}:${line}`;
}

const KEY_LABEL: Record<RateLimitKey, string> = {
  ip: 'ip',
  user: 'user',
  global: 'global',
  client: 'client-keyed',
  unknown: 'key unknown',
};

const MENTION_LABEL: Record<SkippedFileMention, string> = { route: 'a route', 'ai-sdk': 'an AI SDK' };

class TextReport {
  private readonly lines: string[] = [];

  constructor(
    private readonly c: ChalkInstance,
    private readonly result: ScanResult,
  ) {}

  private push(line = ''): void {
    this.lines.push(line);
  }

  private severityLabel(severity: Severity): string {
    const label = severity.toUpperCase().padEnd(SEVERITY_WIDTH);
    switch (severity) {
      case 'critical':
        return this.c.bold.red(label);
      case 'high':
        return this.c.red(label);
      case 'medium':
        return this.c.yellow(label);
      case 'low':
        return this.c.cyan(label);
    }
  }

  /** ✓ present, ✗ absent, ? not found but possibly inside an element the scanner could not see into. */
  private mark(present: boolean, unknown = false): string {
    if (present) return this.c.green(OK);
    return unknown ? this.c.yellow(UNKNOWN) : this.c.red(MISSING);
  }

  private protections(endpoint: Endpoint): string {
    const { facts } = endpoint;
    const unseen = (kind: ProtectionKind) => facts.unseen.some((u) => u.mayProvide.includes(kind));
    const parts: string[] = [];
    parts.push(`auth ${this.mark(facts.auth.length > 0, unseen('auth'))}`);

    const keys = [...new Set(sorted(facts.rateLimits, compareByLocation).map((f) => f.key))];
    // Conditional only when every limiter depends on an environment variable.
    const conditional = facts.rateLimits.length > 0 && facts.rateLimits.every((f) => f.conditional) ? ` ${this.c.yellow('conditional on env')}` : '';
    if (keys.length === 0) {
      parts.push(`rate limit ${this.mark(false, unseen('rateLimit'))}`);
    } else if (keys.every((k) => k === 'client')) {
      parts.push(`rate limit ${this.c.yellow(KEY_LABEL.client)}${conditional}`);
    } else {
      parts.push(`rate limit ${this.mark(true)} (${keys.map((k) => KEY_LABEL[k]).join(', ')})${conditional}`);
    }

    parts.push(`spend cap ${this.mark(facts.spendCaps.length > 0, unseen('spendCap'))}`);
    parts.push(`input bounds ${this.mark(facts.unboundedInputs.length === 0)}`);
    return parts.join(this.c.dim(DOT));
  }

  private endpointTitle(endpoint: Endpoint): string {
    return `${this.c.bold(`${clean(endpoint.method)} ${clean(endpoint.path)}`)}  ${this.c.dim(
      where(endpoint.location.file, endpoint.location.line),
    )}`;
  }

  private header(): void {
    const { tool, root } = this.result;
    this.push(`${this.c.bold(`${clean(tool.name)} ${clean(tool.version)}`)}${this.c.dim(DOT)}${clean(root)}`);
  }

  private inventory(endpoints: Endpoint[]): void {
    this.push();
    this.push(this.c.bold(`Endpoints (${endpoints.length})`));
    if (endpoints.length === 0) {
      this.push('  No HTTP endpoints that call paid AI models were found.');
      return;
    }
    for (const endpoint of endpoints) {
      this.push();
      this.push(`  ${this.endpointTitle(endpoint)}  ${this.c.dim(`(${endpoint.framework})`)}`);
      this.push(`    ${this.protections(endpoint)}`);
      for (const call of sorted(endpoint.aiCalls, compareByLocation)) {
        const model = call.model === undefined ? '' : ` (${clean(call.model)})`;
        this.push(
          `    calls ${clean(call.provider)} ${clean(call.api)}${model} at ${where(call.location.file, call.location.line)}`,
        );
      }
      if (endpoint.mount === 'unresolved') this.push(`    mount not resolved: the path is relative to its router`);
      if (endpoint.declaredPublic) this.push(`    declared public: ${clean(endpoint.declaredPublic.reason)}`);
      if (endpoint.exposure) this.exposure(endpoint.exposure);
      if (endpoint.priceUnknown) {
        const what = endpoint.exposure ? 'also, price unknown' : 'exposure: price unknown';
        this.push(`    ${what} ${this.c.dim(`(${endpoint.priceUnknown.map(clean).join('; ')})`)}`);
      }
    }
  }

  /** The day's figure with its factors (price per request, requests per day, a daily cap) and how the rate was reached. */
  private exposure(exposure: Exposure): void {
    const { display, model, requestsPerDay, usdPerRequest, priceRange, dailySpendCap, rate } = exposure;
    const factors = usdPerRequest === undefined ? `${requestsPerDay.toLocaleString('en-US')} requests/day` : `${perRequestUsd(usdPerRequest)}/request × ${requestsPerDay.toLocaleString('en-US')} requests/day`;
    const priced = priceRange
      ? `${clean(priceRange.cheapest.model)} ${formatUsd(priceRange.cheapest.usdPerDay)} to ${clean(priceRange.costliest.model)} ${formatUsd(priceRange.costliest.usdPerDay)}/day, the model is not fixed`
      : clean(model);
    this.push(`    exposure: up to ${this.c.bold(`${clean(display)}/day`)} ${this.c.dim(`(${priced}; ${factors})`)}`);
    if (dailySpendCap?.applied) this.push(`      ${this.c.dim(`capped by the daily spend cap at ${where(dailySpendCap.file, dailySpendCap.line)}, which fails closed`)}`);
    if (rate) this.push(`      ${this.c.dim(`assumes ${clean(rate.replace(/^Rate: /, ''))}`)}`);
  }

  /** One finding; its fix follows it unless its endpoint's block gathers the fixes (`withFix: false`). */
  private finding(finding: Finding, withFix = true): void {
    const { file, line } = finding.location;
    this.push(
      `    ${this.severityLabel(finding.severity)} ${this.c.bold(clean(finding.ruleId))}  ${this.c.dim(
        where(file, line),
      )}  ${clean(finding.message)}`,
    );
    if (withFix && finding.help) this.push(`      ${this.c.dim('fix:')} ${clean(finding.help)}`);
    if (finding.confidence && finding.confidence !== 'high') {
      // The message already names what was not seen into.
      this.push(`      ${this.c.yellow(`${finding.confidence} confidence`)}`);
    }
  }

  /** Findings on a fully seen path first; those that an element not seen into may answer after them. */
  private findings(endpoints: Endpoint[], findings: Finding[]): void {
    const sure = findings.filter((f) => (f.confidence ?? 'high') === 'high');
    const unsure = findings.filter((f) => (f.confidence ?? 'high') !== 'high');
    this.push();
    this.push(this.c.bold(`Findings (${sure.length})`));
    if (sure.length === 0) this.push('  No findings.');
    else this.findingGroups(endpoints, sure);
    if (unsure.length === 0) return;
    this.push();
    this.push(this.c.bold(`Lower-confidence findings (${unsure.length}): the path holds code the scanner could not see into`));
    this.findingGroups(endpoints, unsure);
  }

  private findingGroups(endpoints: Endpoint[], findings: Finding[]): void {
    const byEndpoint = new Map<string, Finding[]>();
    const loose: Finding[] = [];
    const known = new Set(endpoints.map((e) => e.id));
    for (const finding of findings) {
      if (finding.endpointId !== undefined && known.has(finding.endpointId)) {
        const group = byEndpoint.get(finding.endpointId) ?? [];
        group.push(finding);
        byEndpoint.set(finding.endpointId, group);
      } else {
        loose.push(finding);
      }
    }
    // The endpoints whose findings are most severe come first, then those that can cost the most.
    const ranked = [...endpoints]
      .filter((endpoint) => byEndpoint.has(endpoint.id))
      .sort((a, b) => worst(byEndpoint.get(b.id)!) - worst(byEndpoint.get(a.id)!) || (b.exposure?.usdPerDay ?? 0) - (a.exposure?.usdPerDay ?? 0));
    for (const endpoint of ranked) {
      const group = byEndpoint.get(endpoint.id);
      if (!group) continue;
      byEndpoint.delete(endpoint.id); // Two endpoints with one id: list their findings once.
      const bySeverity = [...group].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
      this.push();
      this.push(`  ${this.endpointTitle(endpoint)}`);
      for (const finding of bySeverity) this.finding(finding, false);
      const fixes = endpointFixes(endpoint, bySeverity);
      if (fixes.length > 0) this.push(`    ${this.c.dim('fix:')}`);
      for (const fix of fixes) this.push(`      - ${clean(fix)}`);
    }
    if (loose.length > 0) {
      this.push();
      this.push(`  ${this.c.bold('Not tied to an endpoint')}`);
      for (const finding of loose) this.finding(finding);
    }
  }

  private problems(): void {
    const errors = sorted(this.result.errors, compareErrors);
    if (errors.length === 0) return;
    this.push();
    this.push(this.c.bold(`Problems (${errors.length})`));
    for (const error of errors) {
      const place = error.file === undefined ? '(scan)' : where(error.file, error.line);
      this.push(`  ${this.c.dim(place)}  ${this.c.yellow(error.kind)}  ${clean(error.message)}`);
    }
  }

  /** Files skipped for their content that mention a route or an AI SDK: endpoints may have gone unanalysed. */
  private skippedWarnings(): void {
    const skipped = sorted(this.result.errors, compareErrors).filter((e) => e.file !== undefined && e.mentions?.length);
    if (skipped.length === 0) return;
    this.push();
    for (const error of skipped) {
      const what = error.mentions!.map((m) => MENTION_LABEL[m]).join(' and ');
      this.push(`${this.c.bold.yellow('Warning:')} ${clean(error.file!)} was skipped (${error.kind}) but mentions ${what}: its endpoints, if any, were not analyzed`);
    }
  }

  private summary(endpoints: Endpoint[], findings: Finding[]): void {
    const counts = SEVERITIES.map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
    const findingsPart = findings.length === 0 ? plural(0, 'finding') : `${plural(findings.length, 'finding')} (${counts})`;
    const { stats, errors } = this.result;
    const parts = [
      `${plural(endpoints.length, 'endpoint')}, ${findingsPart}`,
      `${plural(stats.files, 'file')} scanned, ${stats.analyzedFiles} analyzed`,
    ];
    const skipped = Object.values(stats.skippedFiles ?? {}).reduce((sum, n) => sum + n, 0);
    if (skipped > 0) parts.push(`${skipped} skipped`);
    if (errors.length > 0) parts.push(plural(errors.length, 'problem'));
    const unlinked = this.result.unlinkedAiCalls?.length ?? 0;
    if (unlinked > 0) parts.push(`${plural(unlinked, 'paid AI call')} not linked to an endpoint`);
    parts.push(formatDuration(stats.durationMs));
    this.push();
    this.push(parts.join(DOT));
    const costliest = costliestShare(endpoints);
    if (costliest) this.push(`most exposure: ${this.endpointTitle(costliest.endpoint)} (${costliest.percent}% of the total)`);
    if (this.result.config) this.push(clean(describeConfigEffect(this.result.config)));
  }

  render(): string {
    const endpoints = sorted(this.result.endpoints, compareEndpoints);
    // Suppressed findings (inline suppressions, declared public routes) stay in JSON and SARIF only.
    const findings = sorted(this.result.findings.filter((f) => !f.suppressed), compareFindings);
    this.header();
    this.inventory(endpoints);
    this.findings(endpoints, findings);
    this.problems();
    this.skippedWarnings();
    this.summary(endpoints, findings);
    return `${this.lines.join('\n')}\n`;
  }
}

/** The terminal report. With `color: false` it contains no ANSI escape sequences at all. */
export function renderText(result: ScanResult, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  return new TextReport(c, result).render();
}

/** The severity rank of a group's most severe finding. */
function worst(findings: readonly Finding[]): number {
  return Math.max(...findings.map((f) => severityRank(f.severity)));
}

/** The endpoint that carries the largest share of the priced exposure, when several are priced. */
function costliestShare(endpoints: readonly Endpoint[]): { endpoint: Endpoint; percent: number } | undefined {
  const priced = endpoints.filter((e) => (e.exposure?.usdPerDay ?? 0) > 0);
  if (priced.length < 2) return undefined;
  const total = priced.reduce((sum, e) => sum + e.exposure!.usdPerDay, 0);
  const endpoint = priced.reduce((a, b) => (b.exposure!.usdPerDay > a.exposure!.usdPerDay ? b : a));
  return { endpoint, percent: Math.round((100 * endpoint.exposure!.usdPerDay) / total) };
}
