/**
 * The project's own helpers named in the config file (`functions:`), treated like the built-in ones: a call to
 * (or a middleware named) one of them is authentication, a rate limit, or a spend cap; a call to an AI
 * wrapper is a paid call.
 */
import ts from '../typescript.cjs';
import type { AuthFact, RateLimitFact, SpendCapFact } from '../model.js';
import type { Provider } from '../providers/index.js';
import { locationOf, unwrap } from '../semantic/ast.js';
import { classifyKey, describeKey } from './limiter-keys.js';
import type { ProtectionScope } from './scope.js';
import { CallContext } from '../semantic/resolve.js';

export interface CustomFunctions {
  auth: readonly string[];
  rateLimiters: readonly string[];
  spendCaps: readonly string[];
  aiWrappers: readonly string[];
}

export const NO_CUSTOM_FUNCTIONS: CustomFunctions = { auth: [], rateLimiters: [], spendCaps: [], aiWrappers: [] };

/** Does `expression` (a callee, or a middleware reference) name one of `names`? `auth.requireUser` or `requireUser`. */
export function namesOneOf(expression: ts.Expression, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  let e = unwrap(expression);
  if (ts.isCallExpression(e)) e = unwrap(e.expression);
  const text = e.getText().replace(/\s+/g, '').replace(/\?\./g, '.');
  const last = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : undefined;
  return names.find((name) => name === text || (!name.includes('.') && name === last));
}

/** Chain links and calls before the paid call that name a configured function of one kind. */
function configuredSites(scope: ProtectionScope, names: readonly string[]): { node: ts.Expression; name: string; context: CallContext }[] {
  const sites: { node: ts.Expression; name: string; context: CallContext }[] = [];
  for (const link of scope.links) {
    const name = namesOneOf(link, names);
    if (name) sites.push({ node: link, name, context: CallContext.ROOT });
  }
  for (const { call, region } of scope.calls) {
    const name = namesOneOf(call.expression, names);
    if (name) sites.push({ node: call, name, context: region.context });
  }
  return sites;
}

export function customAuthFacts(scope: ProtectionScope): AuthFact[] {
  return configuredSites(scope, scope.custom.auth).map(({ node, name }) => ({
    kind: scope.links.includes(node) ? 'middleware' : 'handler-check',
    description: `${name} (configured as authentication)`,
    location: locationOf(scope.project, node),
  }));
}

export function customRateLimitFacts(scope: ProtectionScope): RateLimitFact[] {
  return configuredSites(scope, scope.custom.rateLimiters).map(({ node, name, context }) => {
    const keyArgument = ts.isCallExpression(node) ? node.arguments[0] : undefined;
    const key = keyArgument ? classifyKey(scope, keyArgument, context).key : 'unknown';
    return {
      library: name,
      key,
      description: `${name} (configured as a rate limiter)${keyArgument ? ` keyed on ${describeKey(key)}` : ''}`,
      location: locationOf(scope.project, node),
      ...(keyArgument ? { keyLocation: locationOf(scope.project, keyArgument), keyDescription: keyArgument.getText() } : {}),
    };
  });
}

export function customSpendCapFacts(scope: ProtectionScope): SpendCapFact[] {
  return configuredSites(scope, scope.custom.spendCaps).map(({ node, name }) => ({
    description: `${name} (configured as a spend cap)`,
    location: locationOf(scope.project, node),
  }));
}

/** A provider for the configured AI wrappers: `callLLM({ messages })`, `askModel(prompt)`. */
export function customAiProvider(names: readonly string[]): Provider {
  return {
    name: 'custom',
    // The wrappers' names are the trigger: the deep stage looks for them in the text itself.
    triggers: { packages: [] },
    sdkModules: [],
    matchCall(call) {
      const name = namesOneOf(call.expression, names);
      if (!name) return undefined;
      const first = call.arguments[0] && unwrap(call.arguments[0]);
      const options = first && ts.isObjectLiteralExpression(first) ? first : undefined;
      return {
        provider: 'custom',
        api: name,
        call,
        options,
        inputProperties: ['messages', 'prompt', 'input', 'text', 'system'],
        outputCapProperties: [],
        ...(options ? {} : { inputAnchor: call }),
      };
    },
  };
}
