/** Raw HTTP calls (`fetch`, `axios`, `ky`, `got`) to the AI providers' REST hosts. */
import { ts } from 'ts-morph';
import { memberNames } from '../analysis/resolve.js';
import { objectProperty, propertyValue, unwrap } from '../analysis/ast.js';
import type { Resolver } from '../analysis/resolve.js';
import type { AiCallMatch, Provider } from './types.js';
import { constantString, optionsObject } from './types.js';

/** Paid REST hosts and what their JSON bodies call input and output caps. */
const HOSTS: { host: string; provider: string; inputs: string[]; outputCaps: string[] }[] = [
  { host: 'api.openai.com', provider: 'openai', inputs: ['messages', 'input', 'prompt', 'instructions'], outputCaps: ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] },
  { host: 'api.anthropic.com', provider: 'anthropic', inputs: ['messages', 'system', 'prompt'], outputCaps: ['max_tokens'] },
  { host: 'generativelanguage.googleapis.com', provider: 'google', inputs: ['contents', 'systemInstruction'], outputCaps: ['generationConfig'] },
];

const HTTP_MODULES = ['axios', 'ky', 'got', 'node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch'];

export const httpProvider: Provider = {
  name: 'http',
  sdkModules: [],
  matchCall(call, callee, resolver) {
    const client = httpClient(call, callee);
    if (!client) return undefined;
    const url = urlText(call.arguments[0], resolver);
    if (url === undefined) return undefined;
    const host = HOSTS.find((h) => url.includes(h.host));
    if (!host) return undefined;
    const body = client.bodyArgument === 'options-body' ? jsonBody(call.arguments[1], resolver) : optionsObject(call.arguments[1], resolver);
    const match: AiCallMatch = {
      provider: host.provider,
      api: `POST ${url.replace(/^https?:\/\//, '').replace(/\?.*$/, '')}`,
      call,
      options: body,
      inputProperties: host.inputs,
      outputCapProperties: host.outputCaps,
      model: body ? constantString(propertyValue(objectProperty(body, 'model')), resolver) : undefined,
      inputAnchor: call,
    };
    return match;
  },
};

function httpClient(call: ts.CallExpression, callee: ReturnType<Resolver['resolve']>): { bodyArgument: 'options-body' | 'second' } | undefined {
  const e = unwrap(call.expression);
  if (ts.isIdentifier(e) && e.text === 'fetch' && !callee?.segments.length) return { bodyArgument: 'options-body' };
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'fetch' && ts.isIdentifier(e.expression) && ['globalThis', 'window', 'self'].includes(e.expression.text)) {
    return { bodyArgument: 'options-body' };
  }
  if (callee?.root.kind === 'module' && HTTP_MODULES.includes(callee.root.module)) {
    const names = memberNames(callee.segments);
    if (callee.root.module === 'node-fetch' || callee.root.module === 'undici' || callee.root.module.endsWith('fetch')) return { bodyArgument: 'options-body' };
    if (names.includes('post') || names.includes('put') || names.length === 0) return { bodyArgument: 'second' };
  }
  return undefined;
}

/** The static text of a URL argument: literal, template with substitutions elided, or a const. */
function urlText(argument: ts.Expression | undefined, resolver: Resolver): string | undefined {
  if (!argument) return undefined;
  const e = unwrap(argument);
  if (ts.isTemplateExpression(e)) {
    return e.head.text + e.templateSpans.map((span) => (constantString(span.expression, resolver) ?? '{}') + span.literal.text).join('');
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return (urlText(e.left, resolver) ?? '{}') + (urlText(e.right, resolver) ?? '{}');
  }
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL') {
    return (urlText(e.arguments?.[1], resolver) ?? '') + (urlText(e.arguments?.[0], resolver) ?? '');
  }
  const constant = constantString(e, resolver);
  if (constant !== undefined) return constant;
  const resolved = resolver.resolve(e);
  if (resolved?.root.kind === 'local' && resolved.segments.length === 0 && resolved.root.node !== e && ts.isExpression(resolved.root.node)) {
    return urlText(resolved.root.node as ts.Expression, resolver);
  }
  return undefined;
}

/** `{ body: JSON.stringify({...}) }` → the object literal. */
function jsonBody(options: ts.Expression | undefined, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  const init = optionsObject(options, resolver);
  const body = propertyValue(init ? objectProperty(init, 'body') : undefined);
  if (!body) return undefined;
  const e = unwrap(body);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'stringify') {
    return optionsObject(e.arguments[0], resolver);
  }
  return optionsObject(e, resolver);
}
