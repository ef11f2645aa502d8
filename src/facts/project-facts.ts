/**
 * Project-wide facts, from every source file's text (cheap) and an AST only for files whose text matches:
 * provider keys that leak to the browser or sit in source, and whether token usage is recorded anywhere.
 */
import ts from '../typescript.cjs';
import type { Evidence, ProjectFacts } from '../model.js';
import type { IndexedFile, SourceIndex } from '../parse/source-index.js';
import { objectProperty, propertyNameText, propertyValue, stringValue, unwrap } from '../semantic/ast.js';
import { SDK_MODULES } from '../providers/index.js';

/** Key shapes of the paid providers: OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), OpenRouter, Google (AIza), Groq, xAI, Replicate. */
const KEY_PATTERN = /\b(?:sk-(?:proj-|ant-(?:api\d\d-)?|or-v1-|svcacct-)?[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35}|gsk_[A-Za-z0-9]{40,}|xai-[A-Za-z0-9]{40,}|r8_[A-Za-z0-9]{30,})\b/;
const PLACEHOLDER = /x{4,}|\.{3}|your|example|placeholder|dummy|fake|test|sample|redacted|changeme|<|>|\*{3,}|0{8,}|1234567/i;

const PUBLIC_ENV = /\b(?:NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|PUBLIC_|NUXT_PUBLIC_|GATSBY_)[A-Z0-9_]*\b/;
const AI_KEY_NAME = /(OPENAI|ANTHROPIC|CLAUDE|GEMINI|GOOGLE_(?:GENERATIVE_)?AI|GENAI|MISTRAL|GROQ|COHERE|TOGETHER|REPLICATE|OPENROUTER|DEEPSEEK|XAI|GROK|PERPLEXITY|FIREWORKS|LLM|(?:^|_)AI(?=_))[A-Z0-9_]*(KEY|TOKEN|SECRET)/;
/** SvelteKit's modules of environment variables that are sent to the browser. */
const PUBLIC_ENV_MODULES = new Set(['$env/static/public', '$env/dynamic/public']);
/** SvelteKit's server-only environment: whatever a variable is called, a read through it never reaches a bundle. */
const PRIVATE_ENV_MODULES = new Set(['$env/dynamic/private']);

const USAGE_READ =
  /\.usage\b|\busage\s*[:,})]|\busageMetadata\b|\b(?:prompt|completion|input|output|total)_tokens\b|\b(?:prompt|completion|input|output|total)Tokens\b/;

export function projectFacts(index: SourceIndex, relative: (file: string) => string): ProjectFacts {
  const exposedKeys: Evidence[] = [];
  let usageTracked = false;
  const exported = publicEnvExports(index);
  const importsExported = (file: IndexedFile) => file.mentionsAi && [...exported.keys()].some((name) => file.text.includes(name));
  for (const file of index.files.values()) {
    // Usage may be read in a helper that never names the SDK: any file counts, in code, not in strings.
    if (!usageTracked && USAGE_READ.test(file.text) && readsUsage(file)) usageTracked = true;
    const publicEnv = PUBLIC_ENV.test(file.text);
    const mayLeak =
      KEY_PATTERN.test(file.text) ||
      (publicEnv && (AI_KEY_NAME.test(file.text) || file.mentionsAi)) ||
      /dangerouslyAllowBrowser/.test(file.text) ||
      (file.mentionsAi && /['"]use client['"]/.test(file.text)) ||
      importsExported(file);
    if (mayLeak) exposedKeys.push(...keyExposures(file, relative(file.path), exported));
  }
  return { exposedKeys, usageTracked };
}

/** `export const GEMINI_KEY = process.env.NEXT_PUBLIC_GEMINI_API` */
const PUBLIC_ENV_EXPORT = /export\s+const\s+(\w+)\s*=\s*(?:process\.env|import\.meta\.env)\.((?:NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|PUBLIC_|NUXT_PUBLIC_|GATSBY_)[A-Z0-9_]*)/g;

/**
 * Names the project exports with a browser-exposed value whose name does not say it is a provider key (those are
 * reported where they are read) and that is not public by design: exported name → variable.
 */
function publicEnvExports(index: SourceIndex): Map<string, string> {
  const exported = new Map<string, string>();
  for (const file of index.files.values()) {
    if (!file.text.includes('export const')) continue;
    for (const [, name, variable] of file.text.matchAll(PUBLIC_ENV_EXPORT)) {
      if (!AI_KEY_NAME.test(variable) && !PUBLIC_BY_DESIGN.test(variable)) exported.set(name, variable);
    }
  }
  return exported;
}

function keyExposures(file: IndexedFile, relativePath: string, exported: ReadonlyMap<string, string>): Evidence[] {
  const sourceFile = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, scriptKind(file.path));
  const found: Evidence[] = [];
  const at = (node: ts.Node, description: string) => {
    const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd());
    found.push({ description, location: { file: relativePath, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 } });
  };
  const clientModule = isClientModule(sourceFile);
  const sdkImports = importedSdkNames(sourceFile);
  const privateEnv = importedNames(sourceFile, PRIVATE_ENV_MODULES);
  const isEnvRead = (node: ts.PropertyAccessExpression) => isBundledEnvRead(node, privateEnv);
  const visit = (node: ts.Node, depth: number): void => {
    if (depth > 500) return;
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && PUBLIC_ENV_MODULES.has(node.moduleSpecifier.text)) {
      const bindings = node.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          const name = (element.propertyName ?? element.name).text;
          if (AI_KEY_NAME.test(name)) at(element, `${name} comes from ${node.moduleSpecifier.text}: SvelteKit sends it to the browser`);
          else if (file.mentionsAi && !PUBLIC_BY_DESIGN.test(name) && usedAsKey(element.name, sdkImports, 0)) at(element, `${name} comes from ${node.moduleSpecifier.text} and is used as a provider key: SvelteKit sends it to the browser`);
        }
      }
    } else if (ts.isImportDeclaration(node) && file.mentionsAi && exported.size > 0) {
      const bindings = node.importClause?.namedBindings;
      for (const element of bindings && ts.isNamedImports(bindings) ? bindings.elements : []) {
        const variable = exported.get((element.propertyName ?? element.name).text);
        const use = variable && identifierUses(sourceFile, element.name.text, element.name).find((u) => keySlotReached(u, sdkImports, 1));
        if (use) at(use, `${element.name.text} holds ${variable}, a browser-exposed environment variable, and is used as a provider key: the bundler inlines it into client JavaScript`);
      }
    } else if (ts.isStringLiteralLike(node)) {
      const key = KEY_PATTERN.exec(node.text)?.[0];
      if (key && !PLACEHOLDER.test(key) && looksRandom(key)) at(node, `a provider API key is hard-coded in source (${key.slice(0, 7)}…)`);
    } else if (ts.isPropertyAccessExpression(node) && isEnvRead(node) && PUBLIC_ENV.test(node.name.text) && AI_KEY_NAME.test(node.name.text)) {
      at(node, `${node.name.text} is a browser-exposed environment variable: the bundler inlines it into client JavaScript`);
    } else if (ts.isPropertyAccessExpression(node) && isEnvRead(node) && PUBLIC_ENV.test(node.name.text) && file.mentionsAi && !PUBLIC_BY_DESIGN.test(node.name.text)) {
      const slot = keySlotReached(node, sdkImports);
      if (slot) at(node, `${node.name.text} is a browser-exposed environment variable used as ${slot}: the bundler inlines the key into client JavaScript`);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && sdkImports.has(node.expression.text)) {
      const options = node.arguments?.[0] && unwrap(node.arguments[0]);
      const dangerous = options && ts.isObjectLiteralExpression(options) && propertyValue(objectProperty(options, 'dangerouslyAllowBrowser'))?.kind === ts.SyntaxKind.TrueKeyword;
      if (dangerous) at(node, `${node.expression.text} client built with dangerouslyAllowBrowser: true: its key ships to every visitor`);
      else if (clientModule) at(node, `${node.expression.text} client built in a 'use client' module: its key ships to the browser`);
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(sourceFile, 0);
  return found;
}

/** Browser-exposed values that are public by design: anon and publishable keys, analytics and site keys. */
const PUBLIC_BY_DESIGN = /ANON|PUBLISHABLE|SUPABASE|FIREBASE|CLERK|STRIPE|SENTRY|POSTHOG|ALGOLIA|MAPBOX|GA_|GTAG|ANALYTICS|RECAPTCHA|SITE_KEY|PUBLIC_KEY|URL|HOST|DOMAIN/;

/** Option and header names that carry a provider credential. */
const KEY_SLOTS = /^(apiKey|api_key|apiToken|authToken|authorization|x-api-key|api-key|x-goog-api-key)$/i;

/**
 * Where a browser-exposed value ends up, whatever its name: an SDK client's `apiKey` or first argument, or a
 * credential header (`Authorization: \`Bearer ${...}\``), directly or through a local of this file.
 */
function keySlotReached(read: ts.Expression, sdkImports: Set<string>, depth = 0): string | undefined {
  let node: ts.Node = read;
  while (isValueWrapper(node.parent, node)) node = node.parent;
  const parent = node.parent;
  if ((ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) && KEY_SLOTS.test(propertyNameText(parent.name) ?? '')) return `${propertyNameText(parent.name)}`;
  if (ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && sdkImports.has(parent.expression.text)) return `the ${parent.expression.text} client's key`;
  if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && ['set', 'append'].includes(parent.expression.name.text) && KEY_SLOTS.test(stringValue(parent.arguments[0]) ?? '')) {
    return `the ${stringValue(parent.arguments[0])} header`;
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name) && depth < 2) {
    return usedAsKey(parent.name, sdkImports, depth + 1);
  }
  return undefined;
}

/** A local (or an imported binding) whose uses in its file reach a key slot. */
function usedAsKey(binding: ts.Identifier, sdkImports: Set<string>, depth: number): string | undefined {
  for (const use of identifierUses(binding.getSourceFile(), binding.text, binding)) {
    const slot = keySlotReached(use, sdkImports, depth);
    if (slot) return slot;
  }
  return undefined;
}

/** Expressions that pass a value on: a template, a concatenation, a fallback, parentheses, an assertion. */
function isValueWrapper(parent: ts.Node, child: ts.Node): boolean {
  if (ts.isTemplateSpan(parent)) return true;
  if (ts.isTemplateExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent)) return true;
  if (ts.isBinaryExpression(parent)) return [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(parent.operatorToken.kind);
  return ts.isCallExpression(parent) && parent.expression !== child && ts.isIdentifier(parent.expression) && parent.expression.text === 'String';
}

function identifierUses(sourceFile: ts.SourceFile, name: string, declaration: ts.Identifier): ts.Identifier[] {
  const uses: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node !== declaration && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) uses.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return uses;
}

const USAGE_NAMES = /^(usage|usageMetadata|(prompt|completion|input|output|total)_tokens|(prompt|completion|input|output|total)Tokens)$/;

/** An identifier (a property read, a destructured name) of token usage in the file's code. */
function readsUsage(file: IndexedFile): boolean {
  const sourceFile = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, scriptKind(file.path));
  let found = false;
  const visit = (node: ts.Node, depth: number): void => {
    if (found || depth > 500) return;
    if (ts.isIdentifier(node) && USAGE_NAMES.test(node.text)) {
      found = true;
      return;
    }
    ts.forEachChild(node, (child) => visit(child, depth + 1));
  };
  visit(sourceFile, 0);
  return found;
}

function isBundledEnvRead(node: ts.PropertyAccessExpression, privateEnv: ReadonlySet<string>): boolean {
  const text = node.expression.getText();
  if (privateEnv.has(text)) return false;
  return text === 'process.env' || text === 'import.meta.env' || text === 'env' || text === 'Deno.env';
}

/** The local names this file imports from any of these modules. */
function importedNames(sourceFile: ts.SourceFile, modules: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || !modules.has(statement.moduleSpecifier.text)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
  }
  return names;
}

function isClientModule(sourceFile: ts.SourceFile): boolean {
  const first = sourceFile.statements[0];
  return !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client';
}

function importedSdkNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!SDK_MODULES.has(statement.moduleSpecifier.text)) continue;
    const clause = statement.importClause;
    if (clause?.name) names.add(clause.name.text);
    if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
      for (const element of clause.namedBindings.elements) names.add(element.name.text);
    }
  }
  return names;
}

/** Real keys mix upper case, lower case and digits. */
function looksRandom(key: string): boolean {
  const body = key.replace(/^(sk-(proj-|ant-(api\d\d-)?|or-v1-|svcacct-)?|AIza|gsk_|xai-|r8_)/, '');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/].filter((re) => re.test(body)).length;
  return classes >= 2 && new Set(body).size >= 10;
}

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
