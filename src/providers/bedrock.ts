/**
 * Amazon Bedrock's `@aws-sdk/client-bedrock-runtime`. The paid call is `client.send(command)` whose argument is
 * an InvokeModel or Converse command (or their stream variants), or the same operations as methods of the
 * aggregated `BedrockRuntime` client.
 */
import ts from '../typescript.cjs';
import { calleeName, objectProperty, propertyNameText, propertyValue, unwrap } from '../semantic/ast.js';
import type { AccessPath, Resolver } from '../semantic/resolve.js';
import type { AiCallMatch, Provider } from './types.js';
import { literalOption, optionsObject } from './types.js';

const MODULE = '@aws-sdk/client-bedrock-runtime';

type Operation = 'InvokeModel' | 'Converse';

const OPERATIONS: Record<string, Operation> = {
  InvokeModel: 'InvokeModel',
  InvokeModelWithResponseStream: 'InvokeModel',
  InvokeModelWithBidirectionalStream: 'InvokeModel',
  Converse: 'Converse',
  ConverseStream: 'Converse',
};

/** What the model families' InvokeModel bodies call input and output caps (Anthropic, Llama, Titan, Mistral, Cohere, Nova). */
const INVOKE_BODY = {
  inputs: ['messages', 'system', 'prompt', 'inputText', 'texts', 'input', 'message', 'chat_history'],
  outputCaps: ['max_tokens', 'max_gen_len', 'max_tokens_to_sample', 'textGenerationConfig.maxTokenCount', 'inferenceConfig.max_new_tokens'],
};
const CONVERSE = { inputs: ['messages', 'system'], outputCaps: ['inferenceConfig.maxTokens'] };

export const bedrockProvider: Provider = {
  name: 'bedrock',
  triggers: { packages: [MODULE] },
  sdkModules: [MODULE],
  matchCall(call, callee, resolver) {
    const viaSend = calleeName(call) === 'send' ? commandOf(call.arguments[0], callee, resolver) : undefined;
    const viaMethod = viaSend ? undefined : aggregatedMethod(call, callee, resolver);
    const found = viaSend ?? viaMethod;
    if (!found) return undefined;
    return operationMatch(call, found.name, found.input, resolver);
  },
};

/** `new InvokeModelCommand({...})`, directly or through a variable or a helper's parameter. */
function commandOf(argument: ts.Expression | undefined, callee: AccessPath | undefined, resolver: Resolver): { name: string; input?: ts.ObjectLiteralExpression } | undefined {
  if (!argument) return undefined;
  const path = resolver.resolve(argument, callee?.context);
  if (path?.root.kind !== 'module' || path.root.module !== MODULE) return undefined;
  const [command, construction] = path.segments;
  if (command?.kind !== 'member' || construction?.kind !== 'new' || path.segments.length !== 2) return undefined;
  const name = command.name.replace(/Command$/, '');
  if (!OPERATIONS[name]) return undefined;
  return { name, input: optionsObject(construction.call?.arguments?.[0], resolver) };
}

/** `new BedrockRuntime({...}).converse({...})`. */
function aggregatedMethod(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): { name: string; input?: ts.ObjectLiteralExpression } | undefined {
  if (callee?.root.kind !== 'module' || callee.root.module !== MODULE) return undefined;
  const [client, construction, method] = callee.segments;
  if (client?.kind !== 'member' || client.name !== 'BedrockRuntime' || construction?.kind !== 'new' || method?.kind !== 'member' || callee.segments.length !== 3) return undefined;
  const name = method.name.charAt(0).toUpperCase() + method.name.slice(1);
  if (!OPERATIONS[name]) return undefined;
  return { name, input: optionsObject(call.arguments[0], resolver) };
}

function operationMatch(call: ts.CallExpression, name: string, input: ts.ObjectLiteralExpression | undefined, resolver: Resolver): AiCallMatch {
  const model = literalOption(input, 'modelId', resolver);
  if (OPERATIONS[name] === 'Converse') {
    return { provider: 'bedrock', api: name, call, options: input, inputProperties: CONVERSE.inputs, outputCapProperties: CONVERSE.outputCaps, model };
  }
  const payload = jsonPayload(propertyValue(input ? objectProperty(input, 'body') : undefined), resolver);
  if (payload) {
    const outputCaps = isEmbeddingRequest(model, payload) ? [] : INVOKE_BODY.outputCaps;
    return { provider: 'bedrock', api: name, call, options: payload, inputProperties: INVOKE_BODY.inputs, outputCapProperties: outputCaps, model, modelOptions: input };
  }
  // A body the scanner cannot read: the whole body is model input.
  return { provider: 'bedrock', api: name, call, options: input, inputProperties: ['body'], outputCapProperties: [], model };
}

/** Embedding models (Titan, Cohere Embed) return vectors, not generated tokens: there is no output to cap. */
function isEmbeddingRequest(model: string | undefined, payload: ts.ObjectLiteralExpression): boolean {
  if (model !== undefined) return /embed/i.test(model);
  const names = new Set(payload.properties.map((p) => (p.name ? propertyNameText(p.name) : undefined)));
  return (names.has('inputText') || names.has('texts')) && !names.has('messages') && !names.has('prompt');
}

/** The object serialised into an InvokeModel body: `JSON.stringify(payload)`, also inside `new TextEncoder().encode(...)` or `Buffer.from(...)`. */
function jsonPayload(body: ts.Expression | undefined, resolver: Resolver, depth = 0): ts.ObjectLiteralExpression | undefined {
  if (!body || depth > 4) return undefined;
  const e = unwrap(body);
  if (ts.isCallExpression(e) && calleeName(e) === 'stringify') return optionsObject(e.arguments[0], resolver);
  if (ts.isCallExpression(e)) {
    for (const argument of e.arguments) {
      const found = jsonPayload(argument, resolver, depth + 1);
      if (found) return found;
    }
  }
  if (ts.isIdentifier(e)) {
    const declaration = resolver.declarationOf(e);
    if (declaration && ts.isVariableDeclaration(declaration)) return jsonPayload(declaration.initializer, resolver, depth + 1);
  }
  return undefined;
}
