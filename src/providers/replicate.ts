/**
 * Replicate's `replicate`: `replicate.run(model, { input })`, `replicate.stream(model, { input })`, and
 * predictions created on a model, a version or a deployment. Polling a prediction (`predictions.get`) is free.
 */
import ts from '../typescript.cjs';
import { objectProperty, propertyValue } from '../semantic/ast.js';
import { segmentSignature } from '../semantic/resolve.js';
import type { Provider } from './types.js';
import { constantString, optionsObject } from './types.js';

const INPUT = { inputProperties: ['input'], outputCapProperties: ['input.max_tokens', 'input.max_new_tokens', 'input.num_outputs'] };

/** API → index of the options argument, and where the model id is. */
const METHODS: Record<string, { optionsIndex: number; model: (call: ts.CallExpression, options: ts.ObjectLiteralExpression | undefined, resolve: (e?: ts.Expression) => string | undefined) => string | undefined }> = {
  run: { optionsIndex: 1, model: (call, _o, resolve) => resolve(call.arguments[0]) },
  stream: { optionsIndex: 1, model: (call, _o, resolve) => resolve(call.arguments[0]) },
  'predictions.create': { optionsIndex: 0, model: (_c, options, resolve) => resolve(propertyOf(options, 'model')) ?? resolve(propertyOf(options, 'version')) },
  'models.predictions.create': { optionsIndex: 2, model: ownerAndName },
  'deployments.predictions.create': { optionsIndex: 2, model: ownerAndName },
};

export const replicateProvider: Provider = {
  name: 'replicate',
  triggers: { packages: ['replicate'] },
  sdkModules: ['replicate'],
  matchCall(call, callee, resolver) {
    if (!callee || callee.root.kind !== 'module' || callee.root.module !== 'replicate') return undefined;
    let segments = callee.segments;
    if (segments[0]?.kind === 'member' && (segments[0].name === 'default' || segments[0].name === 'Replicate')) segments = segments.slice(1);
    if (segments[0]?.kind !== 'new') return undefined;
    const api = segmentSignature(segments.slice(1));
    const method = METHODS[api];
    if (!method) return undefined;
    const options = optionsObject(call.arguments[method.optionsIndex], resolver);
    const resolve = (e?: ts.Expression) => constantString(e, resolver);
    return { provider: 'replicate', api, call, options, ...INPUT, model: method.model(call, options, resolve) };
  },
};

function propertyOf(options: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  return propertyValue(options ? objectProperty(options, name) : undefined);
}

function ownerAndName(call: ts.CallExpression, _options: ts.ObjectLiteralExpression | undefined, resolve: (e?: ts.Expression) => string | undefined): string | undefined {
  const owner = resolve(call.arguments[0]);
  const name = resolve(call.arguments[1]);
  return owner !== undefined && name !== undefined ? `${owner}/${name}` : undefined;
}

