/**
 * fal.ai's `@fal-ai/client` (and the deprecated `@fal-ai/serverless-client`): image, video and audio models
 * called by endpoint id, `fal.subscribe('fal-ai/flux/dev', { input })`, `fal.run`, `fal.stream`,
 * `fal.queue.submit`, on the `fal` singleton or a client from `createFalClient()`. Reading a queued
 * request's status or result is free.
 */
import { memberNames, type Segment } from '../semantic/resolve.js';
import type { Provider } from './types.js';
import { constantString, optionsObject } from './types.js';

const MODULES = ['@fal-ai/client', '@fal-ai/serverless-client'];
const METHODS = new Set(['subscribe', 'run', 'stream', 'queue.submit', 'streaming.stream']);

export const falProvider: Provider = {
  name: 'fal',
  triggers: { packages: MODULES },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    if (!callee || callee.root.kind !== 'module' || !MODULES.includes(callee.root.module)) return undefined;
    const api = falMethod(callee.segments);
    if (!api || !METHODS.has(api)) return undefined;
    return {
      provider: 'fal',
      api,
      call,
      options: optionsObject(call.arguments[1], resolver),
      inputProperties: ['input'],
      outputCapProperties: [],
      model: constantString(call.arguments[0], resolver),
      billedBy: 'media',
    };
  },
};

/** The method after the client: `fal.queue.submit` → `queue.submit`, `createFalClient().run` → `run`. */
function falMethod(segments: Segment[]): string | undefined {
  const made = segments.findIndex((s) => s.kind === 'call');
  if (made >= 0) {
    const before = memberNames(segments.slice(0, made));
    if (before[before.length - 1] !== 'createFalClient') return undefined;
    const rest = segments.slice(made + 1);
    return rest.every((s) => s.kind === 'member') ? memberNames(rest).join('.') : undefined;
  }
  if (segments.some((s) => s.kind !== 'member')) return undefined;
  const names = memberNames(segments).filter((n) => n !== 'default');
  return (names[0] === 'fal' ? names.slice(1) : names).join('.');
}
