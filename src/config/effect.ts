/**
 * What a config file did to a scan, for the report: a config in the scanned tree (part of the pull request under
 * review) can tune the analysis and the gate, but never without the report saying so.
 */
import path from 'node:path';
import type { ConfigEffect, ScanResult, Severity } from '../model.js';
import type { AuditConfig } from './settings.js';

export interface ThresholdFlags {
  failOn?: unknown;
  minConfidence?: unknown;
}

/** Undefined when no config file was used. */
export function configEffect(config: AuditConfig, result: ScanResult, flags: ThresholdFlags): ConfigEffect | undefined {
  if (!config.file) return undefined;
  const settings = Object.entries(config.rules);
  const publicEndpoints = result.endpoints.filter((e) => e.declaredPublic?.source === 'config');
  const publicIds = new Set(publicEndpoints.map((e) => e.id));
  const functions = Object.entries(config.functions).filter(([, names]) => names.length > 0);
  return {
    file: shownPath(config.file, result.root),
    disabledRules: settings.filter(([, setting]) => setting === 'off').map(([id]) => id).sort(),
    severityOverrides: Object.fromEntries(settings.filter(([, s]) => s !== 'off' && s !== 'on').sort()) as Record<string, Severity>,
    ignoredGlobs: [...config.ignore],
    ignoredFiles: config.ignore.length > 0 ? (result.stats.skippedFiles?.ignored ?? 0) : 0,
    publicRoutes: [...config.publicRoutes],
    publicEndpoints: publicEndpoints.length,
    suppressedFindings: result.findings.filter((f) => f.suppressed && f.endpointId !== undefined && publicIds.has(f.endpointId)).length,
    customFunctions: Object.fromEntries(functions),
    ...(config.failOn !== undefined && flags.failOn === undefined ? { failOn: config.failOn } : {}),
    ...(config.minConfidence !== undefined && flags.minConfidence === undefined ? { minConfidence: config.minConfidence } : {}),
    ...(config.exposure && Object.keys(config.exposure).length > 0 ? { exposure: { ...config.exposure } } : {}),
  };
}

/** One line: what the config changed, or that it changed nothing. */
export function describeConfigEffect(effect: ConfigEffect): string {
  const parts: string[] = [];
  if (effect.failOn !== undefined) parts.push(`failOn ${effect.failOn}`);
  if (effect.minConfidence !== undefined) parts.push(`minConfidence ${effect.minConfidence}`);
  if (effect.disabledRules.length > 0) parts.push(`${count(effect.disabledRules.length, 'rule')} off (${effect.disabledRules.join(', ')})`);
  const overrides = Object.entries(effect.severityOverrides);
  if (overrides.length > 0) parts.push(`${count(overrides.length, 'severity', 'severities')} changed (${overrides.map(([id, s]) => `${id} ${s}`).join(', ')})`);
  if (effect.ignoredGlobs.length > 0) parts.push(`${count(effect.ignoredGlobs.length, 'ignore glob')} leaving out ${count(effect.ignoredFiles, 'file')}`);
  if (effect.publicRoutes.length > 0) {
    parts.push(`${count(effect.publicEndpoints, 'endpoint')} declared public (${count(effect.suppressedFindings, 'finding')} suppressed)`);
  }
  const functions = Object.entries(effect.customFunctions);
  if (functions.length > 0) parts.push(`custom ${functions.map(([kind, names]) => `${kind}: ${names!.join(', ')}`).join('; ')}`);
  if (effect.exposure?.attackerIps !== undefined) parts.push(`exposure assumes ${effect.exposure.attackerIps} attacker IPs`);
  if (effect.exposure?.attackerAccounts !== undefined) parts.push(`exposure assumes ${effect.exposure.attackerAccounts} attacker accounts`);
  return `config ${effect.file}: ${parts.length > 0 ? parts.join(' · ') : 'no change to the defaults'}`;
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

function shownPath(file: string, root: string): string {
  const relative = path.relative(root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return relative.split(path.sep).join('/');
}
