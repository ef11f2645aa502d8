/**
 * What part of the incoming request a value comes from. The request is the first parameter of a handler
 * or middleware on the route's chain (`req`, `request`), or Next.js's `headers()` / `cookies()`.
 */
import { ts } from 'ts-morph';
import type { AccessPath, Segment } from './resolve.js';
import { stringValue } from './ast.js';

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

const BODY_READERS = new Set(['json', 'formData', 'text', 'arrayBuffer', 'blob']);

/** The request parameters of a route: first parameters of its handler and middleware functions. */
export class RequestParameters {
  private readonly params = new Set<ts.ParameterDeclaration>();

  add(fn: ts.SignatureDeclarationBase | undefined): void {
    const first = fn?.parameters[0];
    if (first) this.params.add(first);
  }

  has(param: ts.ParameterDeclaration): boolean {
    return this.params.has(param);
  }
}

export function requestOrigin(path: AccessPath | undefined, requestParams: RequestParameters): RequestOrigin | undefined {
  if (!path) return undefined;
  if (path.root.kind === 'param' && requestParams.has(path.root.param)) return fromRequestSegments(path.segments);
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
  if (first === 'body') return origin('body', 1);
  if (BODY_READERS.has(first) && isCall(1)) return origin('body', 2);
  if (first === 'query') return origin('query', 1);
  if (first === 'params') return origin('params', 1);
  if (first === 'nextUrl' || first === 'url') {
    const searchParams = segments.findIndex((s) => s.kind === 'member' && s.name === 'searchParams');
    if (searchParams >= 0) return searchParamOrigin(segments, searchParams + 1);
    return origin('url', 1);
  }
  if (first === 'headers') return headerOrigin(name(1), segments, 1);
  if ((first === 'get' || first === 'header') && isCall(1)) return headerFromCall(segments[1], segments, 2);
  if (first === 'cookies' || first === 'signedCookies') return origin('cookie', 1);
  if (first === 'ip' || first === 'ips') return origin('ip', 1);
  if ((first === 'socket' || first === 'connection') && name(1) === 'remoteAddress') return origin('ip', 2);
  if (first === 'user' || first === 'auth') return origin('user', 1);
  if (first === 'session' && segments.some((s) => s.kind === 'member' && /user|account|member/i.test(s.name))) return origin('user', 1);
  return origin('other', 1, first);
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
  if (get?.kind !== 'member' || get.name !== 'get' || call?.kind !== 'call') return undefined;
  const name = stringValue(call.call.arguments[0])?.toLowerCase() ?? '?';
  if (first.name === 'headers') return classifyHeader(name, segments.slice(4));
  if (first.name === 'cookies') return { source: 'cookie', key: `cookie.${name}`, rest: segments.slice(4) };
  return undefined;
}
