/**
 * Stage 9, filter: the project's settings applied to the results. Rules turned off drop out of the findings
 * and of the rule list; severity overrides change both, so every reporter (SARIF's rule levels included) and
 * the exit code see the project's severities.
 */
import type { Finding, Rule, RuleMeta } from '../model.js';
import type { RuleSetting } from '../config/settings.js';

export type RuleSettings = Readonly<Record<string, RuleSetting>>;

/** The rules that stay on, with their effective severity. */
export function effectiveRules(rules: readonly Rule[], settings: RuleSettings = {}): RuleMeta[] {
  const metas: RuleMeta[] = [];
  for (const rule of rules) {
    const setting = settings[rule.meta.id];
    if (setting === 'off') continue;
    metas.push(setting === undefined || setting === 'on' ? rule.meta : { ...rule.meta, severity: setting });
  }
  return metas;
}

/** Findings of enabled rules, carrying the rule's effective severity. */
export function filterFindings(findings: readonly Finding[], enabled: readonly RuleMeta[]): Finding[] {
  const severities = new Map(enabled.map((meta) => [meta.id, meta.severity]));
  const kept: Finding[] = [];
  for (const finding of findings) {
    const severity = severities.get(finding.ruleId);
    if (severity === undefined) continue;
    kept.push(severity === finding.severity ? finding : { ...finding, severity });
  }
  return kept;
}
