/**
 * Cloudflare Workers AI, billed per neuron beyond a small daily allowance: the `AI` binding's
 * `env.AI.run('@cf/meta/llama-3.1-8b-instruct', { messages, max_tokens })` (also `c.env.AI`,
 * `context.env.AI`, `locals.runtime.env.AI`) and the older `new Ai(env.AI).run(...)` from `@cloudflare/ai`.
 */
import { memberNames } from '../semantic/resolve.js';
import type { Provider } from './types.js';
import { constantString, optionsObject } from './types.js';

/** Cloudflare's catalogue names models `@cf/<vendor>/<model>` (and `@hf/...` for Hugging Face ones). */
const WORKERS_AI_MODEL = /^@(?:cf|hf)\//;

export const workersAiProvider: Provider = {
  name: 'workers-ai',
  triggers: { packages: ['@cloudflare/ai'], markers: [/['"`]@(?:cf|hf)\//, /\.AI\.run\(/] },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    if (!callee || call.arguments.length < 2) return undefined;
    const names = memberNames(callee.segments);
    if (names[names.length - 1] !== 'run') return undefined;
    const model = constantString(call.arguments[0], resolver);
    const legacyClient = callee.root.kind === 'module' && callee.root.module === '@cloudflare/ai';
    // `<something>.AI.run(...)` is the binding when it hangs off the environment or names a catalogue model.
    const onAiBinding = names[names.length - 2] === 'AI';
    const fromEnvironment = names[names.length - 3] === 'env' || (callee.root.kind === 'param' && callee.root.param.name.getText() === 'env');
    const catalogueModel = model !== undefined && WORKERS_AI_MODEL.test(model);
    if (!legacyClient && !(onAiBinding && (fromEnvironment || catalogueModel))) return undefined;
    return {
      provider: 'workers-ai',
      api: 'AI.run',
      call,
      options: optionsObject(call.arguments[1], resolver),
      inputProperties: ['messages', 'prompt', 'text', 'image', 'audio', 'input_text'],
      outputCapProperties: ['max_tokens'],
      ...(model !== undefined ? { model } : {}),
    };
  },
};
