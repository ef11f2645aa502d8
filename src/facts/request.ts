/**
 * What part of the incoming request a value comes from. The request is the first parameter of a handler
 * or middleware on the route's chain (`req`, `request`, Koa's `ctx`, Hono's `c`), a parameter a framework
 * declares to carry a part of it (NestJS's `@Body()`), or Next.js's `headers()` / `cookies()`.
 */
import ts from '../typescript.cjs';
import type { AccessPath, Segment } from '../semantic/resolve.js';
import { stringValue } from '../semantic/ast.js';

export type RequestSource = 'body' | 'query' | 'params' | 'header' | 'cookie' | 'ip' | 'user' | 'credential' | 'url' | 'other';

export interface RequestOrigin {
  source: RequestSource;
  /** `body.messages`, `header.x-session-id`: names the same request value wherever it flows. */
  key: string;
  /** Segments after the request value itself (e.g. `.slice(0, 4000)`). */
  rest: Segment[];
}

/** Headers the hosting platform or proxy sets to the client address. */
export const IP_HEADERS = new Set([
  'x-forwarded-for',
  'x-real-ip',
  'cf-connecting-ip',
  'x-vercel-forwarded-for',
  'x-vercel-ip',
  'true-client-ip',
  'x-client-ip',
  'fly-client-ip',
  'x-nf-client-connection-ip',
  'x-appengine-user-ip',
  'fastly-client-ip',
  'x-cluster-client-ip',
]);

const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key', 'proxy-authorization']);

const BODY_READERS = new Set(['json', 'formData', 'text', 'arrayBuffer', 'blob', 'parseBody']);

/** Context members that hold the request: Koa's `ctx.request`, Hono's `c.req`, Fastify's `request.raw`. */
const REQUEST_WRAPPERS = new Set(['request', 'req', 'raw']);

/** Per-request variables an authentication middleware sets: Koa's `ctx.state.user`, Hono's `c.get('jwtPayload')`. */
const USER_VARIABLES = /^(user|currentUser|auth|jwtPayload|claims|principal|account|userId|uid)$/i;

/** Hono's `c.req.valid(target)`: the validated request part. */
const VALIDATED_TARGETS: Record<string, RequestSource> = { json: 'body', form: 'body', query: 'query', param: 'params', header: 'header', cookie: 'cookie' };

/**
 * Members of a handler's argument that carry the request or what the platform put beside it: SvelteKit and
 * Astro pass `{ request, locals }` (`event.locals.user`), h3 `event.node.req` and `event.context`, tRPC `{ ctx }`.
 */
const CONTEXT_WRAPPERS = new Set(['event', 'ctx', 'context', 'locals', 'node']);

/** Members that carry the client's input: tRPC `input`, Firebase callable `data`, next-safe-action `parsedInput`. */
const INPUT_MEMBERS = new Set(['input', 'data', 'parsedInput']);

/** The client address: Astro `clientAddress`, SvelteKit `getClientAddress()`, Deno `info.remoteAddr`, Bun `server.requestIP(req)`. */
/** The path the client asked for: Express's `req.path` and `originalUrl`, Koa's and Hono's `path`, h3's `event.path`. */
const PATH_MEMBERS = new Set(['path', 'originalUrl', 'baseUrl', 'pathname']);
const IP_MEMBERS = new Set(['ip', 'ips', 'clientAddress', 'getClientAddress', 'remoteAddr', 'requestIP']);

/**
 * The request parameters of a route: first parameters of its handler and middleware functions, or the
 * parameters a framework declares to carry a part of the request, each with the segments it stands for.
 */
export class RequestParameters {
  private readonly params = new Map<ts.ParameterDeclaration, Segment[]>();

  /** Parameter 0 of `fn` is the request, unless `parts` says which parameters carry which part of it. */
  add(fn: ts.SignatureDeclarationBase | undefined, parts?: ReadonlyMap<number, Segment[]>): void {
    if (!fn) return;
    if (parts) {
      for (const [index, part] of parts) {
        const param = fn.parameters[index];
        if (param) this.params.set(param, part);
      }
      return;
    }
    const first = fn.parameters[0];
    if (first && !this.params.has(first)) this.params.set(first, []);
  }

  has(param: ts.ParameterDeclaration): boolean {
    return this.params.has(param);
  }

  /** The segments under the request that a request parameter stands for (none for the request itself). */
  partOf(param: ts.ParameterDeclaration): Segment[] | undefined {
    return this.params.get(param);
  }
}

export function requestOrigin(path: AccessPath | undefined, requestParams: RequestParameters): RequestOrigin | undefined {
  if (!path) return undefined;
  const part = path.root.kind === 'param' ? requestParams.partOf(path.root.param) : undefined;
  if (part) return fromRequestSegments([...part, ...path.segments]);
  if (path.root.kind === 'module' && path.root.module === 'next/headers') return fromNextHeaders(path.segments);
  return undefined;
}

function fromRequestSegments(segments: Segment[]): RequestOrigin {
  const name = (i: number) => (segments[i]?.kind === 'member' ? (segments[i] as { name: string }).name : undefined);
  const isCall = (i: number) => segments[i]?.kind === 'call';
  const first = name(0);
  const origin = (source: RequestSource, consumed: number, label?: string): RequestOrigin => {
    const rest = segments.slice(consumed);
    const names: string[] = [];
    let i = 0;
    // Member names up to the first method call: `body.messages.map(...)` is about `body.messages`.
    for (; i < rest.length && rest[i].kind === 'member' && rest[i + 1]?.kind !== 'call'; i++) names.push((rest[i] as { name: string }).name);
    return { source, key: [label ?? source, ...names].join('.'), rest: rest.slice(i) };
  };
  if (!first) return origin('other', 0);
  if (REQUEST_WRAPPERS.has(first) && segments.length > 1) return fromRequestSegments(segments.slice(1));
  if (CONTEXT_WRAPPERS.has(first) && segments[1]?.kind === 'member') return fromRequestSegments(segments.slice(1));
  // NestJS guards and interceptors: context.switchToHttp().getRequest()
  if (first === 'switchToHttp' && isCall(1) && name(2) === 'getRequest' && isCall(3)) return fromRequestSegments(segments.slice(4));
  const formField = first === 'body' ? formFieldAt(segments, 1) : first === 'formData' && isCall(1) ? formFieldAt(segments, 2) : undefined;
  if (formField) return formField;
  if (first === 'body') return origin('body', 1);
  if (BODY_READERS.has(first) && isCall(1)) return origin('body', 2);
  if (INPUT_MEMBERS.has(first)) return origin('body', 1);
  if (first === 'queryStringParameters' || first === 'multiValueQueryStringParameters') return origin('query', 1);
  if (first === 'pathParameters') return origin('params', 1);
  if (first === 'requestContext') return lambdaContextOrigin(segments);
  if (first === 'valid' && isCall(1)) {
    const target = VALIDATED_TARGETS[callArgument(segments[1]) ?? ''];
    return target ? origin(target, 2, target === 'header' ? 'header' : undefined) : origin('other', 2, 'valid');
  }
  if ((first === 'query' || first === 'param') && isCall(1)) {
    const source = first === 'query' ? 'query' : 'params';
    return origin(source, 2, `${source}.${callArgument(segments[1]) ?? '?'}`);
  }
  if (first === 'query') return origin('query', 1);
  if (first === 'params') return origin('params', 1);
  if ((first === 'state' || first === 'var') && USER_VARIABLES.test(name(1) ?? '')) return origin('user', 2, `user.${name(1)}`);
  if (first === 'get' && isCall(1) && USER_VARIABLES.test(callArgument(segments[1]) ?? '')) return origin('user', 2, `user.${callArgument(segments[1])}`);
  if (PATH_MEMBERS.has(first)) return origin('url', 1);
  if (first === 'nextUrl' || first === 'url') {
    const searchParams = segments.findIndex((s) => s.kind === 'member' && s.name === 'searchParams');
    if (searchParams >= 0) return searchParamOrigin(segments, searchParams + 1);
    return origin('url', 1);
  }
  if (first === 'headers') return headerOrigin(name(1), segments, 1);
  // Hono's `c.get('session')` reads a variable a middleware set; Express's `req.get('x-api-key')` a header.
  if (first === 'get' && isCall(1) && isContextVariable(callArgument(segments[1]))) return origin('other', 2, `var.${callArgument(segments[1])}`);
  if ((first === 'get' || first === 'header') && isCall(1)) return headerFromCall(segments[1], segments, 2);
  if (first === 'cookies' || first === 'signedCookies') return origin('cookie', 1);
  if (IP_MEMBERS.has(first)) return origin('ip', isCall(1) ? 2 : 1);
  if ((first === 'socket' || first === 'connection') && name(1) === 'remoteAddress') return origin('ip', 2);
  if (USER_VARIABLES.test(first)) return origin('user', 1);
  if (first === 'session' && segments.some((s) => s.kind === 'member' && /user|account|member/i.test(s.name))) return origin('user', 1);
  return origin('other', 1, first);
}

/** Header names without a hyphen; any other single word given to `get()` names a context variable. */
const ONE_WORD_HEADERS = new Set(['authorization', 'cookie', 'host', 'origin', 'referer', 'referrer', 'accept', 'forwarded', 'via', 'from', 'range', 'date', 'etag', 'pragma', 'dnt', 'connection', 'upgrade']);

function isContextVariable(name: string | undefined): boolean {
  return name !== undefined && !name.includes('-') && !ONE_WORD_HEADERS.has(name.toLowerCase());
}

/** `formData.get('prompt')` at `index`: the form field `body.prompt`. */
function formFieldAt(segments: Segment[], index: number): RequestOrigin | undefined {
  const get = segments[index];
  const field = callArgument(segments[index + 1]);
  if (get?.kind !== 'member' || get.name !== 'get' || field === undefined) return undefined;
  return { source: 'body', key: `body.${field}`, rest: segments.slice(index + 2) };
}

/** API Gateway's `event.requestContext`: the caller's address, or what the authorizer verified. */
function lambdaContextOrigin(segments: Segment[]): RequestOrigin {
  const names = segments.map((s) => (s.kind === 'member' ? s.name : undefined));
  const sourceIp = names.indexOf('sourceIp');
  if (sourceIp >= 0) return { source: 'ip', key: 'ip', rest: segments.slice(sourceIp + 1) };
  const authorizer = names.indexOf('authorizer');
  if (authorizer >= 0) return { source: 'user', key: 'user', rest: segments.slice(authorizer + 1) };
  return { source: 'other', key: 'requestContext', rest: segments.slice(1) };
}

function callArgument(segment: Segment | undefined): string | undefined {
  return segment?.kind === 'call' ? stringValue(segment.call.arguments[0]) : undefined;
}

function headerOrigin(next: string | undefined, segments: Segment[], index: number): RequestOrigin {
  if (next === 'get' && segments[index + 1]?.kind === 'call') return headerFromCall(segments[index + 1], segments, index + 2);
  if (next !== undefined) return classifyHeader(next.toLowerCase(), segments.slice(index + 1));
  return { source: 'header', key: 'header', rest: segments.slice(index) };
}

function headerFromCall(segment: Segment, segments: Segment[], consumed: number): RequestOrigin {
  const argument = segment.kind === 'call' ? segment.call.arguments[0] : undefined;
  const header = stringValue(argument)?.toLowerCase();
  return classifyHeader(header ?? '?', segments.slice(consumed));
}

function classifyHeader(header: string, rest: Segment[]): RequestOrigin {
  const source: RequestSource = IP_HEADERS.has(header) ? 'ip' : CREDENTIAL_HEADERS.has(header) ? 'credential' : 'header';
  return { source, key: `header.${header}`, rest };
}

function searchParamOrigin(segments: Segment[], index: number): RequestOrigin {
  const method = segments[index];
  const call = segments[index + 1];
  if (method?.kind === 'member' && method.name === 'get' && call?.kind === 'call') {
    return { source: 'query', key: `query.${stringValue(call.call.arguments[0]) ?? '?'}`, rest: segments.slice(index + 2) };
  }
  return { source: 'query', key: 'query', rest: segments.slice(index) };
}

function fromNextHeaders(segments: Segment[]): RequestOrigin | undefined {
  const first = segments[0];
  if (first?.kind !== 'member' || segments[1]?.kind !== 'call') return undefined;
  const get = segments[2];
  const call = segments[3];
  // `cookies().get('sid')`, and `cookies().has('sid')`, which tests the same cookie.
  if (get?.kind !== 'member' || (get.name !== 'get' && get.name !== 'has') || call?.kind !== 'call') return undefined;
  const name = stringValue(call.call.arguments[0])?.toLowerCase() ?? '?';
  if (first.name === 'headers') return classifyHeader(name, segments.slice(4));
  if (first.name === 'cookies') return { source: 'cookie', key: `cookie.${name}`, rest: segments.slice(4) };
  return undefined;
}
