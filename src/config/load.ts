/**
 * Reading and validating the config file (find.ts finds it).
 *
 * YAML and JSON are both read with `yaml` (JSON is YAML), with a small alias budget so an
 * exponential "billion laughs" file is refused instead of expanded. Every problem is reported with the file, line
 * and column and a sentence that says what to change.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { didYouMean, suggestion } from './did-you-mean.js';
import { ConfigError, type ConfigProblem } from './find.js';
import { type AuditConfig, configFileSchema, RULE_SETTING_VALUES, type RuleInfo, resolveConfig, ruleInfo } from './schema.js';

export { ConfigError, type ConfigProblem, findConfigFile } from './find.js';
export { ruleInfo } from './settings.js';

/** Aliases are rarely needed in a config; a small budget refuses expansion attacks. */
const MAX_ALIAS_COUNT = 50;
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads and validates a config file. Throws `ConfigError`. */
export function loadConfigFile(file: string, rules: readonly RuleInfo[] = ruleInfo()): AuditConfig {
  const absolute = path.resolve(file);
  const shown = path.relative(process.cwd(), absolute) || absolute;
  let text: string;
  try {
    if (statSync(absolute).size > MAX_CONFIG_BYTES) {
      throw new ConfigError(shown, [{ message: `the file is larger than ${MAX_CONFIG_BYTES / 1024} KB; a config file is a few lines` }]);
    }
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(shown, [{ message: code === 'ENOENT' ? 'config file not found' : `cannot read the config file: ${(error as Error).message}` }]);
  }
  const value = parseConfigText(text, shown, rules);
  return resolveConfig(value.data, { file: absolute, baseDir: path.dirname(absolute) });
}

interface Parsed {
  data: z.infer<ReturnType<typeof configFileSchema>>;
}

/** Parses and validates config text; `shown` names the file in messages. */
export function parseConfigText(text: string, shown: string, rules: readonly RuleInfo[]): Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const at = (offset: number | undefined) => (offset === undefined ? {} : { line: lineCounter.linePos(offset).line, column: lineCounter.linePos(offset).col });

  if (doc.errors.length > 0) {
    throw new ConfigError(
      shown,
      doc.errors.map((error) => ({ ...at(error.pos[0]), message: `not valid YAML: ${firstSentence(error.message)}` })),
    );
  }

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw new ConfigError(shown, [
        { message: 'the file uses YAML aliases (*name) too many times, which can expand to a huge document; write the values out instead' },
      ]);
    }
    throw new ConfigError(shown, [{ message: `cannot read the YAML: ${(error as Error).message}` }]);
  }
  if (raw === null || raw === undefined) raw = {};

  const result = configFileSchema(rules).safeParse(raw);
  if (result.success) return { data: result.data };
  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
    for (const problem of describeIssue(issue, rules)) {
      const node = nodeAt(doc, problem.path, problem.atKey);
      const value = !problem.atKey && isScalar(node) ? node.value : undefined;
      const meant = typeof value === 'string' ? didYouMean(value, allowedValues(issue)) : undefined;
      const found = value === undefined || value === null ? '' : ` (found ${JSON.stringify(value)}${meant ? `; did you mean "${meant}"?` : ''})`;
      problems.push({ ...at(node?.range?.[0]), message: `${problem.message}${found}` });
    }
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new ConfigError(shown, problems);
}

/** `Map keys must be unique at line 3, column 3:\n\n...` → `Map keys must be unique` */
function firstSentence(message: string): string {
  return message.split(/ at line \d+, column \d+/)[0]!.split('\n')[0]!;
}

interface IssueText {
  path: PropertyKey[];
  /** Point at the key of the last path segment instead of its value. */
  atKey: boolean;
  message: string;
}

/** `functions.auth[0]` */
function pathText(issuePath: readonly PropertyKey[]): string {
  return issuePath.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i > 0 ? '.' : ''}${String(segment)}`)).join('');
}

/** The values a misspelt scalar may have meant. */
function allowedValues(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'invalid_value') return issue.values.map(String);
  if (issue.path[0] === 'rules') return [...RULE_SETTING_VALUES];
  return [];
}

function describeIssue(issue: z.core.$ZodIssue, rules: readonly RuleInfo[]): IssueText[] {
  const where = issue.path.length > 0 ? `${pathText(issue.path)}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...issue.path, key],
      atKey: true,
      message: unknownKeyMessage(issue.path, key, rules),
    }));
  }
  return [{ path: issue.path, atKey: false, message: `${where}${issue.message}` }];
}

const TOP_LEVEL_KEYS = ['failOn', 'minConfidence', 'rules', 'ignore', 'publicRoutes', 'functions', 'exposure'];
const FUNCTION_KEYS = ['auth', 'rateLimiters', 'spendCaps', 'aiWrappers'];
const EXPOSURE_KEYS = ['attackerIps', 'attackerAccounts'];
const SECTION_KEYS: Record<string, string[]> = { functions: FUNCTION_KEYS, exposure: EXPOSURE_KEYS };

function unknownKeyMessage(parent: PropertyKey[], key: string, rules: readonly RuleInfo[]): string {
  const where = parent.length > 0 ? `${pathText(parent)}: ` : '';
  if (parent.length === 1 && parent[0] === 'rules') {
    const ids = rules.map((r) => r.id);
    return `${where}unknown rule "${key}"${suggestion(key, ids)}; rules are ${ids.join(', ')}`;
  }
  const allowed = parent.length === 0 ? TOP_LEVEL_KEYS : parent.length === 1 ? (SECTION_KEYS[String(parent[0])] ?? []) : [];
  return `${where}unknown setting "${key}"${suggestion(key, allowed)}${allowed.length ? `; settings here are ${allowed.join(', ')}` : ''}`;
}

/** The YAML node at a zod issue path (or its key), falling back to the deepest node that exists. */
function nodeAt(doc: Document, issuePath: PropertyKey[], atKey: boolean): Node | undefined {
  let node: Node | undefined = doc.contents ?? undefined;
  for (let i = 0; i < issuePath.length; i++) {
    const segment = issuePath[i];
    const last = i === issuePath.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(segment));
      if (!pair) return node;
      if (last && atKey && pair.key && isScalar(pair.key)) return pair.key;
      const value = pair.value as Node | null;
      if (!value) return isScalar(pair.key) ? pair.key : node;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}
