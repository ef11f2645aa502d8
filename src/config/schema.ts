/**
 * The config file, `.ai-endpoint-audit.yml`: its zod schema (the source of the published JSON Schema), and how a
 * validated file becomes the resolved shape the engine reads (settings.ts).
 *
 * The schema is built from the rule list, so rule ids are checked (and completed by editors) exactly.
 */
import { z } from 'zod';
import { CONFIDENCES, type Confidence } from '../model.js';
import { type AuditConfig, defaultConfig, FAIL_ON_VALUES, type FailOn, RULE_SETTING_VALUES, type RuleInfo, type RuleSetting, SCHEMA_ID } from './settings.js';

export * from './settings.js';

/** Defined once: its `id` names it in the JSON Schema's definitions, and ids are registered globally. */
const ruleSetting = z.union([z.enum(RULE_SETTING_VALUES as [RuleSetting, ...RuleSetting[]]), z.boolean()], {
  error: `expected one of ${RULE_SETTING_VALUES.join(', ')}`,
}).meta({ id: 'RuleSetting', description: '`off`, `on` (the default severity), or a severity: `critical`, `high`, `medium`, `low`.' });

const FUNCTION_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

function functionNames(description: string) {
  return z
    .array(
      z.string({ error: 'expected a function name' }).regex(FUNCTION_NAME, {
        error: 'expected a function name such as requireUser or auth.requireUser',
      }),
      { error: 'expected a list of function names' },
    )
    .nullable()
    .optional()
    .meta({ description });
}

/**
 * The file's schema. `rules` lists every known rule id, so a misspelt id is an error. Sections may be empty
 * (`rules:` with every entry commented out), which reads as null.
 */
export function configFileSchema(rules: readonly RuleInfo[]) {
  const ruleShape = Object.fromEntries(
    rules.map((rule) => [
      rule.id,
      ruleSetting.optional().meta({ description: `${rule.shortDescription} (default severity: ${rule.severity})` }),
    ]),
  );
  return z
    .strictObject({
      $schema: z.string().optional().meta({ description: 'The JSON Schema of this file, for editors.' }),
      failOn: z
        .enum(FAIL_ON_VALUES as [FailOn, ...FailOn[]], { error: `expected one of ${FAIL_ON_VALUES.join(', ')}` })
        .optional()
        .meta({ description: 'Exit with status 1 when a finding is at or above this severity (default: high). The --fail-on flag wins.' }),
      minConfidence: z
        .enum(CONFIDENCES as [Confidence, ...Confidence[]], { error: `expected one of ${CONFIDENCES.join(', ')}` })
        .optional()
        .meta({ description: 'Count only findings at or above this confidence for the exit status (default: low, every finding). The --min-confidence flag wins.' }),
      rules: z
        .strictObject(ruleShape, { error: 'expected a mapping of rule ids to off, on or a severity' })
        .nullable()
        .optional()
        .meta({ description: 'Turn rules off (`off`), on (`on`), or change their severity (`critical`, `high`, `medium`, `low`).' }),
      ignore: z
        .array(
          z
            .string({ error: 'expected a glob pattern' })
            .min(1, { error: 'expected a non-empty glob pattern' })
            .refine((glob) => !glob.startsWith('!'), { error: 'negated patterns (!) are not supported; list only what to leave out' }),
          {
            error: 'expected a list of glob patterns',
          },
        )
        .nullable()
        .optional()
        .meta({ description: 'Files and folders to leave out, as globs relative to this file, e.g. `scripts/**`.' }),
      publicRoutes: z
        .array(
          z.string({ error: 'expected a URL path glob' }).startsWith('/', { error: 'expected a URL path glob starting with /, e.g. /api/public/**' }),
          { error: 'expected a list of URL path globs' },
        )
        .nullable()
        .optional()
        .meta({ description: 'URL paths of routes that are public on purpose, as globs, e.g. `/api/public/**`.' }),
      functions: z
        .strictObject(
          {
            auth: functionNames('Functions or middleware that reject callers who are not signed in.'),
            rateLimiters: functionNames('Functions or middleware that rate-limit callers.'),
            spendCaps: functionNames('Functions that refuse when a spend, credit or quota budget is used up.'),
            aiWrappers: functionNames('Functions that call a paid AI model on behalf of their caller.'),
          },
          { error: 'expected a mapping with auth, rateLimiters, spendCaps and aiWrappers lists' },
        )
        .nullable()
        .optional()
        .meta({ description: "The project's own helpers, by name, so they count like the built-in ones." }),
      exposure: z
        .strictObject(
          {
            attackerIps: z
              .number({ error: 'expected a whole number of addresses' })
              .int({ error: 'expected a whole number of addresses' })
              .min(1, { error: 'expected at least 1 address' })
              .optional()
              .meta({ description: 'Client IP addresses an attacker controls (proxies, cloud hosts): a limit counted per IP is multiplied by it. Default: 100.' }),
            attackerAccounts: z
              .union([z.number().int().min(1), z.literal('unbounded')], { error: 'expected a whole number of accounts or unbounded' })
              .optional()
              .meta({ description: 'Accounts an attacker can open: a limit counted per signed-in user is multiplied by it. Default: unbounded (free sign-up), so a per-user limit alone bounds nothing; set a number when sign-up is invite-only or paid.' }),
          },
          { error: 'expected a mapping with attackerIps and attackerAccounts' },
        )
        .nullable()
        .optional()
        .meta({ description: 'What the dollar exposure assumes an attacker holds.' }),
    }, { error: 'expected a mapping of settings such as rules:, ignore:, failOn:' })
    .meta({
      title: 'ai-endpoint-audit configuration',
      description: 'Configuration for ai-endpoint-audit: .ai-endpoint-audit.yml, .ai-endpoint-audit.yaml or .ai-endpoint-audit.json.',
    });
}

export type ConfigFile = z.infer<ReturnType<typeof configFileSchema>>;

/** The JSON Schema editors use to complete and check the file (draft-07, the widest editor support). */
export function configJsonSchema(rules: readonly RuleInfo[]): Record<string, unknown> {
  const schema = z.toJSONSchema(configFileSchema(rules), { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return { $schema: schema.$schema, $id: SCHEMA_ID, ...schema };
}

/** The validated file with defaults filled in. */
export function resolveConfig(file: ConfigFile, location: { file?: string; baseDir: string }): AuditConfig {
  const config = defaultConfig(location.baseDir);
  config.file = location.file;
  for (const [id, setting] of Object.entries(file.rules ?? {})) {
    if (setting === undefined) continue;
    config.rules[id] = setting === true ? 'on' : setting === false ? 'off' : setting;
  }
  config.ignore = file.ignore ?? [];
  config.publicRoutes = file.publicRoutes ?? [];
  config.functions = {
    auth: file.functions?.auth ?? [],
    rateLimiters: file.functions?.rateLimiters ?? [],
    spendCaps: file.functions?.spendCaps ?? [],
    aiWrappers: file.functions?.aiWrappers ?? [],
  };
  if (file.exposure) {
    config.exposure = {
      ...(file.exposure.attackerIps !== undefined ? { attackerIps: file.exposure.attackerIps } : {}),
      ...(file.exposure.attackerAccounts !== undefined ? { attackerAccounts: file.exposure.attackerAccounts } : {}),
    };
  }
  if (file.failOn !== undefined) config.failOn = file.failOn;
  if (file.minConfidence !== undefined) config.minConfidence = file.minConfidence;
  return config;
}

/** The published schema file's text: `schema/ai-endpoint-audit.schema.json`. */
export function configJsonSchemaText(rules: readonly RuleInfo[]): string {
  return `${JSON.stringify(configJsonSchema(rules), null, 2)}\n`;
}
