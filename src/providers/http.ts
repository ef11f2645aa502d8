/**
 * Raw HTTP calls (`fetch`, axios, got, ky, needle, superagent, undici, ofetch/`$fetch`, Node's
 * `https.request`) to a paid provider:
 * to one of the providers' REST hosts, or to a URL the code does not show (`process.env.OPENAI_URL`) when
 * the JSON body names a model with its input and a provider's key from the environment authorises it.
 */
import ts from '../typescript.cjs';
import { memberNames, type AccessPath, type Resolver } from '../semantic/resolve.js';
import { objectProperty, propertyNameText, propertyValue, stringValue, unwrap } from '../semantic/ast.js';
import type { AiCallMatch, Provider } from './types.js';
import { isLocalModelUrl, keyEnvProvider, keyEnvSource, PROVIDER_HOSTS, type ProviderHost, providerHost, urlText } from './hosts.js';
import { callAtMember, constantString, optionsObject } from './types.js';

const FETCH_MODULES = ['node-fetch', 'undici', 'cross-fetch', 'isomorphic-fetch'];
/** Clients whose request body is the second argument (axios) or the `json` option (ky, got). */
const CLIENT_MODULES = ['axios', 'ky', 'got'];
const SENDING_VERBS = new Set(['post', 'put', 'patch', 'postform', 'putform', 'patchform']);
/** Endpoints the providers do not bill: token counting. */
const FREE_ENDPOINTS = /:countTokens\b|\/count_tokens\b|\/(de)?tokenize\b/;
/** Paid endpoints that return vectors or scores, not generated tokens: nothing to cap. */
const NON_GENERATING_ENDPOINTS = /\/(embeddings?|embed|rerank|moderations?|classify)\b|:(batchEmbedContents|embedContent)\b/;
/** Methods that read rather than run a model: polling a prediction, listing models. */
const READ_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);
/** Headers that carry a provider's key. */
const AUTH_HEADERS = /^(?:authorization|x-api-key|api-key|xi-api-key|x-goog-api-key)$/i;
/** A body that runs a model: the model id with its input. */
const MODEL_INPUTS = ['messages', 'prompt', 'input'];

interface HttpRequest {
  /** The URL's static text; undefined when the code does not show it. */
  url?: string;
  body?: ts.ObjectLiteralExpression;
  /** The body as written, when it is no object here (`JSON.stringify(body)` of a parameter). */
  bodySource?: ts.Expression;
  /** The values of the headers that carry a key. */
  auth: ts.Expression[];
}

export const httpProvider: Provider = {
  name: 'http',
  triggers: { packages: [], hosts: PROVIDER_HOSTS, markers: [new RegExp(keyEnvSource())] },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    const request = httpRequest(call, callee, resolver);
    if (!request) return undefined;
    const host = request.url === undefined ? undefined : providerHost(request.url);
    if (host?.keyRequired && !authorisedBy(request, host, resolver)) return undefined;
    if (host) return hostCall(call, request, host, resolver);
    return envKeyedCall(call, request, resolver);
  },
};

function httpRequest(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): HttpRequest | undefined {
  return (
    fetchRequest(call, callee, resolver) ??
    clientRequest(call, callee, resolver) ??
    needleRequest(call, callee, resolver) ??
    superagentRequest(call, callee, resolver) ??
    undiciRequest(call, callee, resolver) ??
    nodeRequest(call, callee, resolver)
  );
}

function hostCall(call: ts.CallExpression, request: HttpRequest, host: ProviderHost, resolver: Resolver): AiCallMatch | undefined {
  const url = request.url ?? '';
  if (FREE_ENDPOINTS.test(url)) return undefined;
  const generates = !NON_GENERATING_ENDPOINTS.test(url);
  return {
    provider: host.provider,
    api: `POST ${apiPath(url)}`,
    call,
    options: request.body,
    inputProperties: host.inputs,
    outputCapProperties: generates ? host.outputCaps : [],
    model: bodyModel(request.body, resolver) ?? modelInUrl(url),
    ...(!request.body && request.bodySource ? { optionsSource: request.bodySource } : {}),
    inputAnchor: call,
    ...(host.billedBy ? { billedBy: host.billedBy } : {}),
  };
}

/**
 * A request to a URL the code does not show (or shows as no provider's): a paid call when its body names a
 * model with its input and its key header comes from a provider-named environment variable.
 */
function envKeyedCall(call: ts.CallExpression, request: HttpRequest, resolver: Resolver): AiCallMatch | undefined {
  const body = request.body;
  if (!body || (request.url !== undefined && isLocalModelUrl(request.url))) return undefined;
  const host = request.auth.map((value) => keyEnvProvider(envVarIn(value, resolver) ?? '')).find((h) => h !== undefined);
  if (!host || !generatingBody(body, host)) return undefined;
  return {
    provider: host.provider,
    api: `POST ${request.url === undefined ? CONFIGURED_URL : apiPath(request.url).replace(/^\{\}/, CONFIGURED_URL)}`,
    call,
    options: body,
    inputProperties: host.inputs,
    outputCapProperties: host.outputCaps,
    model: bodyModel(body, resolver),
    inputAnchor: call,
    ...(host.billedBy ? { billedBy: host.billedBy } : {}),
  };
}

/** Whether a header of the request carries the host's provider's key. */
function authorisedBy(request: HttpRequest, host: ProviderHost, resolver: Resolver): boolean {
  return request.auth.some((value) => keyEnvProvider(envVarIn(value, resolver) ?? '')?.provider === host.provider);
}

/** A body that names a model with its input, or one in the shape of a model-free API's generating request. */
function generatingBody(body: ts.ObjectLiteralExpression, host: ProviderHost): boolean {
  if (objectProperty(body, 'model') && MODEL_INPUTS.some((name) => objectProperty(body, name))) return true;
  return (host.modelFreeBody ?? []).some((name) => objectProperty(body, name));
}

/** How a URL the code does not show is reported. */
const CONFIGURED_URL = '<configured URL>';

function apiPath(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\?.*$/, '');
}

/** The model id in a JSON body: `model`, or ElevenLabs' `model_id`. */
function bodyModel(body: ts.ObjectLiteralExpression | undefined, resolver: Resolver): string | undefined {
  const option = body && (objectProperty(body, 'model') ?? objectProperty(body, 'model_id'));
  return constantString(propertyValue(option), resolver);
}

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

/**
 * `fetch(url, { method: 'POST', body: JSON.stringify({...}) })`, also ofetch's and Nuxt's `$fetch(url, { method,
 * body })`; a fetch that only reads is not a model call.
 */
function fetchRequest(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): HttpRequest | undefined {
  if (!isFetch(call, callee)) return undefined;
  const requestObject = requestConstruction(call.arguments[0], resolver);
  const target = requestObject ? requestObject.arguments?.[0] : call.arguments[0];
  const init = call.arguments[1] ?? requestObject?.arguments?.[1];
  const initObject = optionsObject(init, resolver);
  if (!init) return undefined;
  const method = initObject ? constantString(propertyValue(objectProperty(initObject, 'method')), resolver) : undefined;
  if (method !== undefined && READ_METHODS.has(method.toUpperCase())) return undefined;
  if (initObject && method === undefined && !objectProperty(initObject, 'body')) return undefined;
  const body = propertyValue(initObject ? objectProperty(initObject, 'body') : undefined);
  return {
    url: urlText(target, resolver),
    body: jsonValue(body, resolver),
    bodySource: stringified(body),
    auth: authHeaders(initObject, resolver),
  };
}

/** `fetch(request)` of `const request = new Request(url, { method, headers, body })`: the Request holds the URL and init. */
function requestConstruction(argument: ts.Expression | undefined, resolver: Resolver): ts.NewExpression | undefined {
  let e = argument && unwrap(argument);
  if (e && ts.isIdentifier(e)) {
    const declaration = resolver.declarationOf(e);
    e = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
  }
  return e && ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Request' ? e : undefined;
}

/** `fetch`, and Nuxt's auto-imported `$fetch` (ofetch). */
const FETCH_GLOBALS = new Set(['fetch', '$fetch']);

function isFetch(call: ts.CallExpression, callee: AccessPath | undefined): boolean {
  const e = unwrap(call.expression);
  if (ts.isIdentifier(e) && FETCH_GLOBALS.has(e.text) && !callee?.segments.length && callee?.root.kind !== 'module') return true;
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'fetch' && ts.isIdentifier(e.expression) && ['globalThis', 'window', 'self'].includes(e.expression.text)) return true;
  if (callee?.root.kind !== 'module') return false;
  const names = memberNames(callee.segments).filter((n) => n !== 'default');
  if (callee.root.module === 'ofetch') return callee.segments.every((s) => s.kind === 'member') && names.length <= 1 && (names.length === 0 || ['ofetch', '$fetch'].includes(names[0]));
  if (!FETCH_MODULES.includes(callee.root.module)) return false;
  return names.length === 0 || (names.length === 1 && names[0] === 'fetch');
}

/**
 * `axios.post(url, body, config)`, `axios({ method, url, data, headers })`, `ky.post(url, { json, headers })`,
 * `got.post(url, { json, headers })`, also on instances made with `axios.create({ baseURL, headers })`,
 * `ky.create({ prefixUrl })`, `got.extend({ prefixUrl })`.
 */
function clientRequest(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): HttpRequest | undefined {
  if (callee?.root.kind !== 'module' || !CLIENT_MODULES.includes(callee.root.module)) return undefined;
  const isAxios = callee.root.module === 'axios';
  const last = callee.segments[callee.segments.length - 1];
  const verb = last?.kind === 'member' ? last.name : undefined;
  const created = instanceOptions(callee, resolver);
  const base = baseUrl(created, resolver);
  const authOf = (config: ts.ObjectLiteralExpression | undefined) => [...authHeaders(created, resolver), ...authHeaders(config, resolver)];
  const bodyOf = (options: ts.Expression | undefined) =>
    isAxios ? jsonValue(options, resolver) : jsonValue(propertyValue(optionsOf(options, resolver, 'json') ?? optionsOf(options, resolver, 'body')), resolver);

  if (verb && SENDING_VERBS.has(verb.toLowerCase())) {
    const config = optionsObject(call.arguments[isAxios ? 2 : 1], resolver);
    return { url: joinUrl(base, urlText(call.arguments[0], resolver)), body: bodyOf(call.arguments[1]), auth: authOf(config) };
  }
  const isDirectCall = verb === undefined || verb === 'default' || verb === 'request';
  if (!isDirectCall) return undefined;
  const first = optionsObject(call.arguments[0], resolver);
  if (first) {
    // axios(config) / axios.request(config)
    const method = constantString(propertyValue(objectProperty(first, 'method')), resolver);
    if (!method || !SENDING_VERBS.has(method.toLowerCase())) return undefined;
    const url = urlText(propertyValue(objectProperty(first, 'url')), resolver);
    return { url: joinUrl(base, url), body: jsonValue(propertyValue(objectProperty(first, 'data')), resolver), auth: authOf(first) };
  }
  const options = optionsObject(call.arguments[1], resolver);
  const method = options ? constantString(propertyValue(objectProperty(options, 'method')), resolver) : undefined;
  if (!method || !SENDING_VERBS.has(method.toLowerCase())) return undefined;
  const url = joinUrl(base, urlText(call.arguments[0], resolver));
  return { url, body: isAxios ? jsonValue(propertyValue(objectProperty(options!, 'data')), resolver) : bodyOf(call.arguments[1]), auth: authOf(options) };
}

/** `needle('post', url, data, options)`, `needle.post(url, data, options)`, `needle.request('post', url, data, options)`. */
function needleRequest(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): HttpRequest | undefined {
  if (callee?.root.kind !== 'module' || callee.root.module !== 'needle' || callee.segments.some((s) => s.kind !== 'member')) return undefined;
  const names = memberNames(callee.segments).filter((n) => n !== 'default');
  const takesMethod = names.length === 0 || (names.length === 1 && names[0] === 'request');
  const verb = takesMethod ? constantString(call.arguments[0], resolver) : names.length === 1 ? names[0] : undefined;
  if (!verb || !SENDING_VERBS.has(verb.toLowerCase())) return undefined;
  const [url, data, options] = call.arguments.slice(takesMethod ? 1 : 0);
  return { url: urlText(url, resolver), body: jsonValue(data, resolver), auth: authHeaders(optionsObject(options, resolver), resolver) };
}

/** `superagent.post(url).set('Authorization', key).send(body)`: the call that sends the body. */
function superagentRequest(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): HttpRequest | undefined {
  if (callee?.root.kind !== 'module' || callee.root.module !== 'superagent') return undefined;
  const last = callee.segments[callee.segments.length - 1];
  if (last?.kind !== 'member' || last.name !== 'send') return undefined;
  const names = memberNames(callee.segments).filter((n) => n !== 'default');
  const verb = names.find((n) => SENDING_VERBS.has(n.toLowerCase()));
  const opened = verb ? callAtMember(callee, verb) : undefined;
  if (!opened) return undefined;
  const auth: ts.Expression[] = [];
  callee.segments.forEach((segment, i) => {
    const next = callee.segments[i + 1];
    if (segment.kind !== 'member' || segment.name !== 'set' || next?.kind !== 'call') return;
    const [name, value] = next.call.arguments;
    const header = constantString(name, resolver);
    if (header !== undefined && value && AUTH_HEADERS.test(header)) auth.push(value);
    else auth.push(...authValues(optionsObject(name, resolver), resolver));
  });
  return { url: urlText(opened.arguments[0], resolver), body: jsonValue(call.arguments[0], resolver), auth };
}

/** undici's `request(url, { method: 'POST', headers, body })`. */
function undiciRequest(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): HttpRequest | undefined {
  if (callee?.root.kind !== 'module' || callee.root.module !== 'undici') return undefined;
  const names = memberNames(callee.segments).filter((n) => n !== 'default');
  if (names.length !== 1 || names[0] !== 'request') return undefined;
  const options = optionsObject(call.arguments[1], resolver);
  const method = options ? constantString(propertyValue(objectProperty(options, 'method')), resolver) : undefined;
  if (!options || !method || !SENDING_VERBS.has(method.toLowerCase())) return undefined;
  return { url: urlText(call.arguments[0], resolver), body: jsonValue(propertyValue(objectProperty(options, 'body')), resolver), auth: authHeaders(options, resolver) };
}

const NODE_HTTP_MODULES = new Set(['https', 'node:https', 'http', 'node:http']);

/**
 * Node's own client: `https.request({ hostname: 'api.openai.com', path, method: 'POST', headers })` or
 * `https.request(url, { method: 'POST' })`. The body is written to the request later, so only the URL and the
 * key header are read here.
 */
function nodeRequest(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): HttpRequest | undefined {
  if (callee?.root.kind !== 'module' || !NODE_HTTP_MODULES.has(callee.root.module)) return undefined;
  const names = memberNames(callee.segments).filter((n) => n !== 'default');
  if (names.length !== 1 || names[0] !== 'request') return undefined;
  const first = optionsObject(call.arguments[0], resolver);
  const options = first ?? optionsObject(call.arguments[1], resolver);
  const method = options ? constantString(propertyValue(objectProperty(options, 'method')), resolver) : undefined;
  if (!options || !method || !SENDING_VERBS.has(method.toLowerCase())) return undefined;
  const url = first ? nodeRequestUrl(first, resolver) : urlText(call.arguments[0], resolver);
  return { url, auth: authHeaders(options, resolver) };
}

/** `https://<hostname><path>` from Node's request options, when the host is static. */
function nodeRequestUrl(options: ts.ObjectLiteralExpression, resolver: Resolver): string | undefined {
  const host = constantString(propertyValue(objectProperty(options, 'hostname') ?? objectProperty(options, 'host')), resolver);
  if (host === undefined) return undefined;
  return `https://${host}${urlText(propertyValue(objectProperty(options, 'path')), resolver) ?? '/'}`;
}

function optionsOf(options: ts.Expression | undefined, resolver: Resolver, name: string): ts.ObjectLiteralElementLike | undefined {
  const object = optionsObject(options, resolver);
  return object ? objectProperty(object, name) : undefined;
}

/** The options an HTTP client instance was created with: `axios.create({...})`, `got.extend({...})`. */
function instanceOptions(callee: AccessPath, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  const created = callAtMember(callee, 'create') ?? callAtMember(callee, 'extend');
  return optionsObject(created?.arguments[0], resolver);
}

/** The base URL an HTTP client instance was created with. */
function baseUrl(options: ts.ObjectLiteralExpression | undefined, resolver: Resolver): string | undefined {
  if (!options) return undefined;
  for (const name of ['baseURL', 'baseUrl', 'prefixUrl', 'prefixURL', 'prefix']) {
    const value = propertyValue(objectProperty(options, name));
    if (value) return urlText(value, resolver);
  }
  return undefined;
}

function joinUrl(base: string | undefined, url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  if (!base || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  return base.replace(/\/+$/, '') + '/' + url.replace(/^\/+/, '');
}

/** The values of the key-carrying headers in a request's options (`{ headers: { Authorization } }`). */
function authHeaders(options: ts.ObjectLiteralExpression | undefined, resolver: Resolver): ts.Expression[] {
  const headers = options ? optionsObject(propertyValue(objectProperty(options, 'headers')), resolver) : undefined;
  return authValues(headers, resolver);
}

function authValues(headers: ts.ObjectLiteralExpression | undefined, resolver: Resolver): ts.Expression[] {
  if (!headers) return [];
  return headers.properties.flatMap((property) => {
    const name = property.name ? propertyNameText(property.name) : undefined;
    const value = propertyValue(property);
    if (name !== undefined && value && AUTH_HEADERS.test(name)) return [value];
    return ts.isSpreadAssignment(property) ? authValues(optionsObject(property.expression, resolver), resolver) : [];
  });
}

/**
 * The environment variable a header value reads: `process.env.OPENAI_API_KEY`, `` `Bearer ${key}` `` with
 * `const key = process.env.OPENAI_API_KEY`, `'Bearer ' + env.GROQ_API_KEY`, `Deno.env.get('X')`.
 */
const ENV_VAR_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

function envVarIn(value: ts.Expression, resolver: Resolver, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const e = unwrap(value);
  const inner = (x: ts.Expression) => envVarIn(x, resolver, depth + 1);
  if (ts.isTemplateExpression(e)) return firstOf(e.templateSpans.map((s) => s.expression), inner);
  if (ts.isBinaryExpression(e)) return inner(e.left) ?? inner(e.right);
  if (ts.isConditionalExpression(e)) return inner(e.whenTrue) ?? inner(e.whenFalse);
  if (ts.isPropertyAccessExpression(e) && isEnvObject(e.expression)) return e.name.text;
  if (ts.isElementAccessExpression(e) && isEnvObject(e.expression)) return stringValue(e.argumentExpression);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'get' && isEnvObject(e.expression.expression)) {
    return stringValue(e.arguments[0]);
  }
  if (ts.isIdentifier(e)) {
    const declaration = resolver.declarationOf(e);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return inner(declaration.initializer);
  }
  const resolved = ts.isPropertyAccessExpression(e) ? resolver.resolve(e) : undefined;
  if (resolved?.root.kind === 'local' && resolved.segments.length === 0 && resolved.root.node !== e && ts.isExpression(resolved.root.node)) {
    return inner(resolved.root.node as ts.Expression);
  }
  // A field named after the variable it was loaded from: `this.MJ_TOKEN`, `config.OPENAI_API_KEY`.
  if (ts.isPropertyAccessExpression(e) && ENV_VAR_NAME.test(e.name.text)) return e.name.text;
  return undefined;
}

function firstOf<T>(items: readonly ts.Expression[], f: (e: ts.Expression) => T | undefined): T | undefined {
  for (const item of items) {
    const found = f(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `process.env`, `import.meta.env`, Deno's `Deno.env`, and a Workers binding object `env` (`c.env`). */
function isEnvObject(e: ts.Expression): boolean {
  const inner = unwrap(e);
  if (ts.isIdentifier(inner)) return inner.text === 'env';
  if (!ts.isPropertyAccessExpression(inner) || inner.name.text !== 'env') return false;
  const owner = unwrap(inner.expression);
  return ts.isIdentifier(owner) || ts.isMetaProperty(owner);
}

/** What `JSON.stringify(x)` serialises, or the value itself. */
function stringified(value: ts.Expression | undefined): ts.Expression | undefined {
  const e = value && unwrap(value);
  if (e && ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'stringify') return e.arguments[0];
  return e;
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
