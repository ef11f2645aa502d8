/**
 * Genkit (`genkit`): `ai.generate({ prompt, messages, config })` and `ai.generateStream(...)` on the instance
 * `genkit({ plugins, model })` returns, or `generate` on a prompt it defined. The model is the call's
 * `model` or the instance's default (`googleAI.model('gemini-2.5-flash')`, `'googleai/gemini-2.5-flash'`).
 */
import ts from '../typescript.cjs';
import { objectProperty, propertyValue, unwrap } from '../semantic/ast.js';
import { constantString, type Resolver } from '../semantic/resolve.js';
import type { Provider } from './types.js';
import { modelId, optionsObject, positionalInputKind } from './types.js';

const GENERATE = new Set(['generate', 'generateStream']);

export const genkitProvider: Provider = {
  name: 'genkit',
  triggers: { packages: ['genkit/*'] },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    if (!callee || callee.root.kind !== 'module' || callee.root.module !== 'genkit' || call.arguments.length === 0) return undefined;
    const [first, second, third] = callee.segments;
    if (first?.kind !== 'member' || first.name !== 'genkit' || second?.kind !== 'call' || third?.kind !== 'member' || !GENERATE.has(third.name)) return undefined;
    if (callee.segments.length !== 3) return undefined;
    const argument = call.arguments[0]!;
    const options = optionsObject(argument, resolver);
    const instance = optionsObject(second.call.arguments[0], resolver);
    const model = propertyValue(options ? objectProperty(options, 'model') : undefined) ?? propertyValue(instance ? objectProperty(instance, 'model') : undefined);
    const id = model && modelId(model, resolver);
    return {
      provider: (model && providerOf(model, resolver)) ?? 'genkit',
      api: third.name,
      call,
      options,
      inputProperties: ['prompt', 'messages', 'system'],
      outputCapProperties: ['config.maxOutputTokens'],
      ...(id !== undefined ? { model: id } : {}),
      ...(options ? {} : { inputArguments: [{ name: 'prompt', value: argument, kind: positionalInputKind(argument, resolver) }] }),
    };
  },
};

/** Google's plugins and model names say the model is Gemini; other plugins are reported as Genkit. */
function providerOf(model: ts.Expression, resolver: Resolver): string | undefined {
  const named = constantString(model, resolver);
  if (named !== undefined) return /^(?:googleai|vertexai)\//.test(named) ? 'google' : undefined;
  const e = unwrap(model);
  const path = resolver.resolve(ts.isCallExpression(e) ? e.expression : e);
  return path?.root.kind === 'module' && /^@genkit-ai\/(?:googleai|google-genai|vertexai)$/.test(path.root.module) ? 'google' : undefined;
}

