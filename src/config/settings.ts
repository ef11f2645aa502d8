/**
 * The resolved configuration the engine and the CLI read, and the values its settings take. Kept apart from
 * the file's schema (schema.ts) so that a scan without a config file never loads the validator.
 */
import { RULES } from '../../rules/index.js';
import { type Confidence, SEVERITIES, type Severity } from '../model.js';

export const CONFIG_FILE_NAMES = ['.ai-endpoint-audit.yml', '.ai-endpoint-audit.yaml', '.ai-endpoint-audit.json'] as const;

export const SCHEMA_ID = 'https://raw.githubusercontent.com/ai-endpoint-audit/ai-endpoint-audit/main/schema/ai-endpoint-audit.schema.json';

export type FailOn = Severity | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, 'none'];

/** `off` disables a rule, `on` keeps its default severity, a severity overrides it. */
export type RuleSetting = 'off' | 'on' | Severity;
export const RULE_SETTING_VALUES: readonly RuleSetting[] = ['off', 'on', ...SEVERITIES];

/** Names of the project's own helpers, so the scanner can treat them like the built-in ones. */
export interface CustomFunctions {
  /** Functions or middleware that reject unauthenticated callers, e.g. `requireTeamMember`. */
  auth: string[];
  /** Rate limiters, e.g. `throttleByIp`. */
  rateLimiters: string[];
  /** Spend, credit or quota checks that refuse when the budget is used up, e.g. `withQuota`. */
  spendCaps: string[];
  /** Wrappers that call a paid model, e.g. `callLLM`. */
  aiWrappers: string[];
}

/** The config after validation and defaults: what the scan and the CLI read. */
export interface AuditConfig {
  /** Absolute path of the file it came from; undefined for the defaults. */
  file?: string;
  /** The folder `ignore` globs are relative to: the config file's folder (or the scanned root for the defaults). */
  baseDir: string;
  /** Per-rule settings, only for the rules the file mentions. */
  rules: Record<string, RuleSetting>;
  /** Globs of files to leave out, relative to `baseDir`. */
  ignore: string[];
  /** URL path globs (e.g. `/api/public/**`) of routes that are public on purpose. */
  publicRoutes: string[];
  functions: CustomFunctions;
  /** Severity at which the CLI exits 1, unless `--fail-on` is given. */
  failOn?: FailOn;
  /** Least confidence a finding needs to count for the exit code, unless `--min-confidence` is given. */
  minConfidence?: Confidence;
  /** What the dollar exposure assumes an attacker holds; the built-in defaults where unset. */
  exposure?: ExposureSettings;
}

/** The config's `exposure:` section. */
export interface ExposureSettings {
  /** Client addresses an attacker controls, for limits counted per IP (default 100). */
  attackerIps?: number;
  /** Accounts an attacker can open, for limits counted per user (default `unbounded`: free sign-up). */
  attackerAccounts?: number | 'unbounded';
}

export function defaultConfig(baseDir: string): AuditConfig {
  return {
    baseDir,
    rules: {},
    ignore: [],
    publicRoutes: [],
    functions: { auth: [], rateLimiters: [], spendCaps: [], aiWrappers: [] },
  };
}

export interface RuleInfo {
  id: string;
  severity: Severity;
  shortDescription: string;
}

/** The rules as the config's schema and starter file describe them. */
export function ruleInfo(): RuleInfo[] {
  return RULES.map((rule) => ({ id: rule.meta.id, severity: rule.meta.severity, shortDescription: rule.meta.shortDescription }));
}
