/**
 * Cost parameters chosen by the client: the model, the output-token cap, the number of completions (and
 * image size/quality) of a paid call taken from the request, directly, through variables, spreads such as
 * `...req.body`, or defaults like `req.body.model ?? 'gpt-4o-mini'`. A value clamped on the server
 * (`Math.min(x, 1024)`; `Math.max` is a floor, not a cap), checked against an allow-list, or validated as an enum / capped number is fine.
 */
import ts from '../typescript.cjs';
import type { ClientParamFact } from '../model.js';
import { calleeName, locationOf, objectProperty, propertyNameText, propertyValue, unwrap } from '../semantic/ast.js';
import { requestOrigin } from './request.js';
import { type CallContext, memberNames, returnExpressions } from '../semantic/resolve.js';
import type { ProtectionScope } from './scope.js';
import { methodChain, schemaDefinition } from './schema-chain.js';
import { declaredSchemasOf } from './declared-schemas.js';

export const COST_PARAMETERS = new Set([
  'model',
  'max_tokens',
  'max_completion_tokens',
  'max_output_tokens',
  'maxTokens',
  'maxOutputTokens',
  'max_tokens_to_sample',
  'n',
  'numImages',
  'size',
  'quality',
  'reasoning_effort',
  'budget_tokens',
  'budgetTokens',
]);
/** Option objects whose fields are cost parameters too: `generationConfig: { maxOutputTokens }`. */
const NESTED = new Set(['generationConfig', 'thinking', 'reasoning', 'config', 'providerOptions']);
const CLAMPS = new Set(['min', 'clamp']);
const CHECKING_METHODS = new Set(['includes', 'has', 'indexOf', 'some', 'find', 'hasOwnProperty']);

export function clientParamFacts(scope: ProtectionScope): ClientParamFact[] {
  const { match, steps } = scope.reached;
  const context = steps[steps.length - 1].context;
  const facts = match.options ? optionFacts(scope, match.options, context) : wholeRequestOptions(scope, context);
  // Where the model was configured, when not in the call: `getGenerativeModel({ model })`, `new ChatOpenAI({ model })`.
  if (match.modelOptions && match.modelOptions !== match.options) facts.push(...optionFacts(scope, match.modelOptions, context));
  return facts;
}

function optionFacts(scope: ProtectionScope, options: ts.ObjectLiteralExpression, context: CallContext): ClientParamFact[] {
  const tracer = new ParamTracer(scope);
  const facts: ClientParamFact[] = [];
  const visitObject = (object: ts.ObjectLiteralExpression) => {
    for (const property of object.properties) {
      if (ts.isSpreadAssignment(property)) {
        const leaked = tracer.spreadLeaks(property.expression, context);
        if (leaked) facts.push(fact(scope, property, leaked, `the request's ${leaked} is spread into the paid call's options`));
        continue;
      }
      const name = propertyNameText(property.name);
      const value = propertyValue(property);
      if (!name || !value) continue;
      if (NESTED.has(name) && ts.isObjectLiteralExpression(unwrap(value))) {
        visitObject(unwrap(value) as ts.ObjectLiteralExpression);
      } else if (NESTED.has(name) && tracer.fromRequest(value, context)) {
        // `generationConfig: req.body.generationConfig`: the client writes the output cap and the rest.
        facts.push(fact(scope, property, name, `${name} comes from the request, its output cap with it`));
      } else if (COST_PARAMETERS.has(name) && tracer.fromRequest(value, context)) {
        facts.push(fact(scope, property, name, `${name} comes from the request`));
      }
    }
  };
  visitObject(options);
  return facts;
}

/**
 * `create(req.body)`, `create(await req.json())`, `fetch(url, { body: JSON.stringify(req.body) })`: the client
 * writes every option, the model and the output cap included.
 */
function wholeRequestOptions(scope: ProtectionScope, context: CallContext): ClientParamFact[] {
  const wholeRequest = (expression: ts.Expression | undefined): string | undefined => {
    const origin = expression && requestOrigin(scope.resolver.resolve(expression, context), scope.requestParams);
    return origin && (origin.key === 'body' || origin.key === 'query') ? origin.key : undefined;
  };
  for (const argument of scope.reached.match.call.arguments) {
    const init = unwrap(argument);
    const body = ts.isObjectLiteralExpression(init) ? propertyValue(objectProperty(init, 'body')) : undefined;
    const stringified = body && ts.isCallExpression(unwrap(body)) && calleeName(unwrap(body) as ts.CallExpression) === 'stringify' ? (unwrap(body) as ts.CallExpression).arguments[0] : undefined;
    const passed = wholeRequest(argument) ?? wholeRequest(stringified);
    if (passed) return [fact(scope, argument, passed, `the request's ${passed} is passed as the paid call's options: the client sets the model and the output cap`)];
  }
  return [];
}

function fact(scope: ProtectionScope, node: ts.Node, parameter: string, description: string): ClientParamFact {
  return { parameter, description, location: locationOf(scope.project, node) };
}

class ParamTracer {
  constructor(private readonly scope: ProtectionScope) {}

  /** Does the value come from the request, unclamped and unchecked? */
  fromRequest(expression: ts.Expression, context: CallContext, depth = 0): boolean {
    if (depth > 10) return false;
    const e = unwrap(expression);
    const next = (x: ts.Expression, ctx = context) => this.fromRequest(x, ctx, depth + 1);
    if (ts.isLiteralExpression(e) || ts.isNoSubstitutionTemplateLiteral(e)) return false;
    if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)) {
      return next(e.left) || next(e.right);
    }
    if (ts.isConditionalExpression(e)) return next(e.whenTrue) || next(e.whenFalse);
    if (ts.isIdentifier(e)) {
      const declaration = this.scope.resolver.declarationOf(e);
      if (declaration && ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && declaration.initializer) {
        return next(declaration.initializer);
      }
    }
    if (ts.isCallExpression(e)) {
      const name = calleeName(e) ?? '';
      if (CLAMPS.has(name)) return false;
      // `Math.max(req.body.maxTokens, 1000)` is a floor: the client still picks any larger value.
      if (name === 'max' && unwrap(e.expression).getText() === 'Math.max') return e.arguments.some((a) => next(a));
      if (['Number', 'parseInt', 'parseFloat', 'String', 'trim', 'toLowerCase'].includes(name)) {
        const callee = unwrap(e.expression);
        const inner = ts.isPropertyAccessExpression(callee) && name !== 'Number' && name !== 'String' && name !== 'parseInt' && name !== 'parseFloat' ? callee.expression : e.arguments[0];
        return inner ? next(inner) : false;
      }
      const fn = this.scope.resolver.resolveFunction(e.expression, context);
      if (fn) return returnExpressions(fn.fn).some((r) => next(r, context.enter(fn.fn, e)));
      const library = this.scope.resolver.resolve(e.expression, context);
      // A provider factory given the client's model id: `openai(req.body.model)`.
      if (library?.root.kind === 'module') return e.arguments.some((a) => next(a));
    }
    const path = this.scope.resolver.resolve(e, context);
    if (!path) return false;
    if (path.root.kind === 'validated') {
      const input = path.root.input && requestOrigin(this.scope.resolver.resolve(path.root.input, path.context), this.scope.requestParams);
      if (!input) return false;
      const fields = memberNames(path.segments);
      if (path.root.method.startsWith('safeParse') && fields[0] === 'data') fields.shift();
      return !schemaFieldIsFixed(path.root.schema, fields, this.scope);
    }
    const origin = requestOrigin(path, this.scope.requestParams);
    if (!origin || ['ip', 'user', 'credential'].includes(origin.source)) return false;
    return !this.checkedOnServer(origin.key) && !this.fixedByDeclaredSchema(origin.key);
  }

  /** A tRPC `.input(z.object({ n: z.number().max(4) }))` or a `zValidator` schema that fixes the field before the handler. */
  private fixedByDeclaredSchema(key: string): boolean {
    return declaredSchemasOf(this.scope, key).some(({ schema, fields }) => isExpression(schema) && schemaFieldIsFixed(schema, fields, this.scope));
  }

  /** A spread of the request (or of validated data with cost fields) into the options: which part leaks. */
  spreadLeaks(expression: ts.Expression, context: CallContext): string | undefined {
    const path = this.scope.resolver.resolve(expression, context);
    if (!path) return undefined;
    const origin = requestOrigin(path, this.scope.requestParams);
    if (origin && ['body', 'query', 'other'].includes(origin.source)) return origin.key;
    if (path.root.kind === 'validated') {
      const object = schemaObject(path.root.schema, this.scope);
      const costFields = object?.properties.filter((p) => COST_PARAMETERS.has(propertyNameText(p.name) ?? '')) ?? [];
      const open = costFields.find((p) => !isFixedSchema(propertyValue(p), this.scope));
      return open ? propertyNameText(open.name) : undefined;
    }
    return undefined;
  }

  /** An allow-list check or a numeric comparison on the value before the call. */
  private checkedOnServer(key: string): boolean {
    for (const guard of this.scope.guards) {
      if (!guard.condition) continue;
      let checked = false;
      const keyOf = (x: ts.Expression) => requestOrigin(this.scope.resolver.resolve(x, guard.region.context), this.scope.requestParams)?.key;
      const visit = (node: ts.Node): void => {
        if (checked) return;
        if (ts.isCallExpression(node) && CHECKING_METHODS.has(calleeName(node) ?? '') && node.arguments.some((a) => keyOf(a) === key)) checked = true;
        if (ts.isBinaryExpression(node) && COMPARISON.has(node.operatorToken.kind) && (keyOf(node.left) === key || keyOf(node.right) === key)) checked = true;
        if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword && keyOf(node.left) === key) checked = true;
        ts.forEachChild(node, visit);
      };
      visit(guard.condition);
      if (checked) return true;
    }
    return false;
  }
}

const COMPARISON = new Set([
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
]);

function isExpression(node: ts.Node): node is ts.Expression {
  return ts.isCallExpression(node) || ts.isIdentifier(node) || ts.isPropertyAccessExpression(node);
}

/** A validated field is fixed when its schema is an enum / literal, or a number with a maximum. */
function schemaFieldIsFixed(schema: ts.Expression, fields: string[], scope: ProtectionScope): boolean {
  let node: ts.Expression | undefined = schema;
  for (const field of fields) {
    const object: ts.ObjectLiteralExpression | undefined = node ? schemaObject(node, scope) : undefined;
    node = object ? propertyValue(objectProperty(object, field)) : undefined;
  }
  return isFixedSchema(node, scope);
}

function isFixedSchema(expression: ts.Expression | undefined, scope: ProtectionScope): boolean {
  const chain = schemaChain(expression, scope);
  if (!chain.length) return false;
  const names = chain.map((c) => calleeName(c) ?? '');
  const base = names[names.length - 1];
  if (['enum', 'literal', 'nativeEnum', 'picklist', 'union'].includes(base)) return true;
  return ['number', 'int'].includes(base) && names.some((n) => ['max', 'lte', 'lt', 'maxValue'].includes(n));
}

function schemaObject(expression: ts.Expression, scope: ProtectionScope): ts.ObjectLiteralExpression | undefined {
  for (const call of schemaChain(expression, scope)) {
    if (['object', 'extend', 'strictObject', 'looseObject'].includes(calleeName(call) ?? '')) {
      const argument = call.arguments[0] && unwrap(call.arguments[0]);
      if (argument && ts.isObjectLiteralExpression(argument)) return argument;
    }
  }
  return undefined;
}

/** The call chain of a schema, outermost first, following identifiers to their definition. */
function schemaChain(expression: ts.Expression | undefined, scope: ProtectionScope): ts.CallExpression[] {
  const definition = expression && schemaDefinition(expression, scope.resolver);
  return definition ? methodChain(definition) : [];
}
