/**
 * Stage 5, ai calls: which calls are paid model calls. One file per SDK family, mostly data.
 */
import { ts } from 'ts-morph';
import type { AccessPath, Resolver } from '../analysis/resolve.js';
import { memberNames, segmentSignature } from '../analysis/resolve.js';
import { objectProperty, propertyValue, stringValue, unwrap } from '../analysis/ast.js';

/** A paid model call recognised in the code. */
export interface AiCallMatch {
  provider: string;
  api: string;
  call: ts.CallExpression;
  /** The object literal carrying the call's parameters (the SDK options, or a raw HTTP JSON body). */
  options?: ts.ObjectLiteralExpression;
  /** Option names that carry model input: messages, prompt, input, ... */
  inputProperties: string[];
  /** Option names that cap the output tokens. */
  outputCapProperties: string[];
  /** The model id when it is a literal. */
  model?: string;
  /** Where input findings point instead of the option property (raw HTTP calls: the request itself). */
  inputAnchor?: ts.Node;
}

export interface Provider {
  name: string;
  /** Packages whose client classes, used as a type (`client: OpenAI`), stand for an instance. */
  sdkModules: readonly string[];
  /** Cheap test on the resolved callee before the provider's own matching. */
  matchCall(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): AiCallMatch | undefined;
}

/** An SDK method table: `chat.completions.create` → what its options mean. */
export interface SdkMethod {
  inputs: string[];
  outputCaps: string[];
}

/**
 * Matches `new Client(...).a.b.c(...)` for an SDK whose client class is exported by `modules` under one of
 * `classNames` (or as the default export).
 */
export function matchClientMethod(
  callee: AccessPath | undefined,
  modules: readonly string[],
  classNames: readonly string[],
  methods: Record<string, SdkMethod>,
): { api: string; method: SdkMethod } | undefined {
  if (!callee || callee.root.kind !== 'module' || !modules.includes(callee.root.module)) return undefined;
  let segments = callee.segments;
  if (segments[0]?.kind === 'member' && segments[0].name === 'default') segments = segments.slice(1);
  if (segments[0]?.kind === 'member' && classNames.includes(segments[0].name)) segments = segments.slice(1);
  if (segments[0]?.kind !== 'new') return undefined;
  const api = segmentSignature(segments.slice(1));
  const method = methods[api];
  return method ? { api, method } : undefined;
}

/** Matches a function exported by one of `modules`: `generateText(...)`, `ai.generateText(...)`. */
export function matchModuleFunction(callee: AccessPath | undefined, modules: readonly string[], names: readonly string[]): string | undefined {
  if (!callee || callee.root.kind !== 'module' || !modules.includes(callee.root.module)) return undefined;
  if (callee.segments.some((s) => s.kind !== 'member')) return undefined;
  const path = memberNames(callee.segments).filter((n) => n !== 'default');
  return path.length === 1 && names.includes(path[0]) ? path[0] : undefined;
}

/** The first argument as an object literal, following a variable that holds one. */
export function optionsObject(argument: ts.Expression | undefined, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  if (!argument) return undefined;
  const e = unwrap(argument);
  if (ts.isObjectLiteralExpression(e)) return e;
  const resolved = resolver.resolve(e);
  if (resolved?.root.kind === 'local' && resolved.segments.length === 0 && ts.isObjectLiteralExpression(resolved.root.node)) {
    return resolved.root.node;
  }
  return undefined;
}

/** The literal value of an option (following a const), e.g. the model id. */
export function literalOption(options: ts.ObjectLiteralExpression | undefined, name: string, resolver: Resolver): string | undefined {
  const value = propertyValue(options ? objectProperty(options, name) : undefined);
  return constantString(value, resolver);
}

export function constantString(expression: ts.Expression | undefined, resolver: Resolver): string | undefined {
  if (!expression) return undefined;
  const direct = stringValue(expression);
  if (direct !== undefined) return direct;
  const resolved = resolver.resolve(expression);
  if (resolved?.root.kind === 'local' && resolved.segments.length === 0) {
    const node = resolved.root.node;
    if (ts.isStringLiteralLike(node)) return node.text;
  }
  return undefined;
}
