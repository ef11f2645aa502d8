/** Raw HTTP calls (`fetch`, `axios`, `ky`, `got`) to the AI providers' REST hosts. */
import ts from '../typescript.cjs';
import { memberNames, type AccessPath, type Resolver } from '../analysis/resolve.js';
import { objectProperty, propertyValue, unwrap } from '../analysis/ast.js';
import type { Provider } from './types.js';
import { PROVIDER_HOSTS, providerHost, urlText } from './hosts.js';
import { callAtMember, constantString, optionsObject } from './types.js';

const FETCH_MODULES = ['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch'];
/** Clients whose request body is the second argument (axios) or the `json` option (ky, got). */
const CLIENT_MODULES = ['axios', 'ky', 'got'];
const SENDING_VERBS = new Set(['post', 'put', 'patch']);
/** Endpoints the providers do not bill: token counting. */
const FREE_ENDPOINTS = /:countTokens\b|\/count_tokens\b|\/(de)?tokenize\b/;
/** Paid endpoints that return vectors or scores, not generated tokens: nothing to cap. */
const NON_GENERATING_ENDPOINTS = /\/(embeddings?|embed|rerank|moderations?|classify)\b|:(batchEmbedContents|embedContent)\b/;
/** Methods that read rather than run a model: polling a prediction, listing models. */
const READ_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

interface HttpRequest {
  url: string;
  body?: ts.ObjectLiteralExpression;
}

export const httpProvider: Provider = {
  name: 'http',
  triggers: { packages: [], hosts: PROVIDER_HOSTS },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    const request = fetchRequest(call, callee, resolver) ?? clientRequest(call, callee, resolver);
    if (!request) return undefined;
    const host = providerHost(request.url);
    if (!host || FREE_ENDPOINTS.test(request.url)) return undefined;
    const body = request.body;
    const generates = !NON_GENERATING_ENDPOINTS.test(request.url);
    return {
      provider: host.provider,
      api: `POST ${request.url.replace(/^https?:\/\//, '').replace(/\?.*$/, '')}`,
      call,
      options: body,
      inputProperties: host.inputs,
      outputCapProperties: generates ? host.outputCaps : [],
      model: (body ? constantString(propertyValue(objectProperty(body, 'model')), resolver) : undefined) ?? modelInUrl(request.url),
      inputAnchor: call,
    };
  },
};

/** APIs that name the model in the path: Gemini `/models/gemini-2.0-flash:generateContent`, Bedrock `/model/<id>/converse`. */
function modelInUrl(url: string): string | undefined {
  const id = /\/models\/([\w.-]+):\w+/.exec(url)?.[1] ?? /\/model\/([^/?#]+)\/(?:invoke|converse)/.exec(url)?.[1];
  if (!id || id.includes('{}')) return undefined;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/** `fetch(url, { method: 'POST', body: JSON.stringify({...}) })`; a fetch that only reads is not a model call. */
function fetchRequest(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): HttpRequest | undefined {
  if (!isFetch(call, callee)) return undefined;
  const url = urlText(call.arguments[0], resolver);
  if (url === undefined) return undefined;
  const init = call.arguments[1];
  const initObject = optionsObject(init, resolver);
  if (!init) return undefined;
  const method = initObject ? constantString(propertyValue(objectProperty(initObject, 'method')), resolver) : undefined;
  if (method !== undefined && READ_METHODS.has(method.toUpperCase())) return undefined;
  if (initObject && method === undefined && !objectProperty(initObject, 'body')) return undefined;
  return { url, body: jsonValue(propertyValue(initObject ? objectProperty(initObject, 'body') : undefined), resolver) };
}

function isFetch(call: ts.CallExpression, callee: AccessPath | undefined): boolean {
  const e = unwrap(call.expression);
  if (ts.isIdentifier(e) && e.text === 'fetch' && !callee?.segments.length && callee?.root.kind !== 'module') return true;
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'fetch' && ts.isIdentifier(e.expression) && ['globalThis', 'window', 'self'].includes(e.expression.text)) return true;
  if (callee?.root.kind !== 'module' || !FETCH_MODULES.includes(callee.root.module)) return false;
  const names = memberNames(callee.segments).filter((n) => n !== 'default');
  return names.length === 0 || (names.length === 1 && names[0] === 'fetch');
}

/**
 * `axios.post(url, body)`, `axios({ method, url, data })`, `ky.post(url, { json })`, `got.post(url, { json })`,
 * also on instances made with `axios.create({ baseURL })`, `ky.create({ prefixUrl })`, `got.extend({ prefixUrl })`.
 */
function clientRequest(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): HttpRequest | undefined {
  if (callee?.root.kind !== 'module' || !CLIENT_MODULES.includes(callee.root.module)) return undefined;
  const module = callee.root.module;
  const last = callee.segments[callee.segments.length - 1];
  const verb = last?.kind === 'member' ? last.name : undefined;
  const base = baseUrl(callee, resolver);
  const bodyOf = (options: ts.Expression | undefined) =>
    module === 'axios' ? jsonValue(options, resolver) : jsonValue(propertyValue(optionsOf(options, resolver, 'json') ?? optionsOf(options, resolver, 'body')), resolver);

  if (verb && SENDING_VERBS.has(verb)) {
    const url = urlText(call.arguments[0], resolver);
    return url === undefined ? undefined : { url: joinUrl(base, url), body: bodyOf(call.arguments[1]) };
  }
  const isDirectCall = verb === undefined || verb === 'default' || verb === 'request';
  if (!isDirectCall) return undefined;
  const first = optionsObject(call.arguments[0], resolver);
  if (first) {
    // axios(config) / axios.request(config)
    const method = constantString(propertyValue(objectProperty(first, 'method')), resolver);
    if (!method || !SENDING_VERBS.has(method.toLowerCase())) return undefined;
    const url = urlText(propertyValue(objectProperty(first, 'url')), resolver);
    return url === undefined ? undefined : { url: joinUrl(base, url), body: jsonValue(propertyValue(objectProperty(first, 'data')), resolver) };
  }
  const url = urlText(call.arguments[0], resolver);
  const options = optionsObject(call.arguments[1], resolver);
  const method = options ? constantString(propertyValue(objectProperty(options, 'method')), resolver) : undefined;
  if (url === undefined || !method || !SENDING_VERBS.has(method.toLowerCase())) return undefined;
  return { url: joinUrl(base, url), body: module === 'axios' ? jsonValue(propertyValue(objectProperty(options!, 'data')), resolver) : bodyOf(call.arguments[1]) };
}

function optionsOf(options: ts.Expression | undefined, resolver: Resolver, name: string): ts.ObjectLiteralElementLike | undefined {
  const object = optionsObject(options, resolver);
  return object ? objectProperty(object, name) : undefined;
}

/** The base URL an HTTP client instance was created with. */
function baseUrl(callee: AccessPath, resolver: Resolver): string | undefined {
  const created = callAtMember(callee, 'create') ?? callAtMember(callee, 'extend');
  const options = optionsObject(created?.arguments[0], resolver);
  if (!options) return undefined;
  for (const name of ['baseURL', 'baseUrl', 'prefixUrl', 'prefixURL', 'prefix']) {
    const value = propertyValue(objectProperty(options, name));
    if (value) return urlText(value, resolver);
  }
  return undefined;
}

function joinUrl(base: string | undefined, url: string): string {
  if (!base || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  return base.replace(/\/+$/, '') + '/' + url.replace(/^\/+/, '');
}

/** A JSON body: an object literal, a const holding one, or `JSON.stringify(...)` of one. */
function jsonValue(value: ts.Expression | undefined, resolver: Resolver, depth = 0): ts.ObjectLiteralExpression | undefined {
  if (!value || depth > 4) return undefined;
  const e = unwrap(value);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'stringify') {
    return optionsObject(e.arguments[0], resolver);
  }
  if (ts.isIdentifier(e)) {
    const declaration = resolver.declarationOf(e);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return jsonValue(declaration.initializer, resolver, depth + 1);
  }
  return optionsObject(e, resolver);
}
