/**
 * Google's Gemini SDKs: `@google/genai` (`ai.models.generateContent`, `ai.chats.create().sendMessage`),
 * the older `@google/generative-ai` and `@google-cloud/vertexai`
 * (`getGenerativeModel({ model }).generateContent(prompt)`, `startChat({ history }).sendMessage(text)`).
 */
import ts from '../typescript.cjs';
import { objectProperty, propertyValue, unwrap } from '../semantic/ast.js';
import { memberNames, type AccessPath, type Resolver } from '../semantic/resolve.js';
import type { AiCallMatch, InputArgument, Provider } from './types.js';
import { callAtMember, literalOption, nestedInputs, optionsObject, positionalInputKind, unseenOptions } from './types.js';

const GENAI = '@google/genai';
const LEGACY_MODULES = ['@google/generative-ai', '@google-cloud/vertexai'];

/** `ai.models.<method>({ model, ... })`: what each method's options call input and output caps. */
const GENAI_MODEL_METHODS: Record<string, { inputs: string[]; outputCaps: string[] }> = {
  generateContent: { inputs: ['contents'], outputCaps: ['config.maxOutputTokens'] },
  generateContentStream: { inputs: ['contents'], outputCaps: ['config.maxOutputTokens'] },
  embedContent: { inputs: ['contents'], outputCaps: [] },
  generateImages: { inputs: ['prompt'], outputCaps: ['config.numberOfImages'] },
  editImage: { inputs: ['prompt', 'referenceImages'], outputCaps: ['config.numberOfImages'] },
  upscaleImage: { inputs: ['image'], outputCaps: [] },
  generateVideos: { inputs: ['prompt', 'image'], outputCaps: ['config.numberOfVideos'] },
};
const CHAT_METHODS = new Set(['sendMessage', 'sendMessageStream']);
const LEGACY_MODEL_METHODS = new Set(['generateContent', 'generateContentStream', 'embedContent', 'batchEmbedContents']);

export const googleProvider: Provider = {
  name: 'google',
  triggers: { packages: [GENAI, ...LEGACY_MODULES] },
  sdkModules: [GENAI, ...LEGACY_MODULES],
  matchCall(call, callee, resolver) {
    if (!callee || callee.root.kind !== 'module') return undefined;
    if (callee.root.module === GENAI) return matchGenAi(call, callee, resolver);
    if (LEGACY_MODULES.includes(callee.root.module)) return matchLegacy(call, callee, resolver);
    return undefined;
  },
};

/** Member names after the client (or model, or chat) instance: `new GoogleGenAI().models.generateContent` → [models, generateContent]. */
function afterInstance(callee: AccessPath): { className?: string; names: string[] } | undefined {
  let segments = callee.segments;
  if (segments[0]?.kind === 'member' && segments[0].name === 'default') segments = segments.slice(1);
  const className = segments[0]?.kind === 'member' ? segments[0].name : undefined;
  if (className) segments = segments.slice(1);
  if (segments[0]?.kind !== 'new') return undefined;
  return { className, names: memberNames(segments.slice(1)) };
}

function matchGenAi(call: ts.CallExpression, callee: AccessPath, resolver: Resolver): AiCallMatch | undefined {
  const instance = afterInstance(callee);
  if (!instance) return undefined;
  const { className, names } = instance;
  const method = names[names.length - 1];
  const options = optionsObject(call.arguments[0], resolver);

  if (names.length === 2 && names[0] === 'models' && GENAI_MODEL_METHODS[method] && className !== 'Chat') {
    const spec = GENAI_MODEL_METHODS[method];
    return {
      provider: 'google',
      api: `models.${method}`,
      call,
      options,
      ...unseenOptions(call, options),
      inputProperties: spec.inputs,
      outputCapProperties: spec.outputCaps,
      model: literalOption(options, 'model', resolver),
      inputArguments: nestedInputs(options, ['config.systemInstruction'], resolver),
    };
  }
  const isChat = (names.length === 3 && names[0] === 'chats' && names[1] === 'create') || (className === 'Chat' && names.length === 1);
  if (isChat && CHAT_METHODS.has(method)) {
    const created = optionsObject(callAtMember(callee, 'create')?.arguments[0], resolver);
    return {
      provider: 'google',
      api: `chats.${method}`,
      call,
      options,
      inputProperties: ['message'],
      outputCapProperties: ['config.maxOutputTokens'],
      model: literalOption(created, 'model', resolver),
      modelOptions: created,
      inputArguments: [...historyInputs(created), ...nestedInputs(created, ['config.systemInstruction'], resolver)],
    };
  }
  return undefined;
}

function matchLegacy(call: ts.CallExpression, callee: AccessPath, resolver: Resolver): AiCallMatch | undefined {
  const instance = afterInstance(callee);
  if (!instance) return undefined;
  const names = instance.names.filter((n) => n !== 'preview');
  const method = names[names.length - 1];
  const viaClient = names[0] === 'getGenerativeModel' || names[0] === 'getGenerativeModelFromCachedContent';
  const modelPath = viaClient ? names.slice(1) : instance.className === 'GenerativeModel' ? names : instance.className === 'ChatSession' ? ['startChat', ...names] : undefined;
  if (!modelPath) return undefined;
  const modelOptions = optionsObject((callAtMember(callee, 'getGenerativeModel') ?? callAtMember(callee, 'getGenerativeModelFromCachedContent'))?.arguments[0], resolver);
  const systemInstruction = nestedInputs(modelOptions, ['systemInstruction'], resolver);
  const base = {
    provider: 'google',
    call,
    outputCapProperties: ['generationConfig.maxOutputTokens'],
    model: literalOption(modelOptions, 'model', resolver),
    modelOptions,
  };

  if (modelPath.length === 1 && LEGACY_MODEL_METHODS.has(method)) {
    const { options, inputs } = requestOrPrompt(call.arguments[0], 'prompt', resolver);
    return {
      ...base,
      api: method,
      options,
      inputProperties: ['contents', 'systemInstruction', 'content', 'requests'],
      inputArguments: [...inputs, ...systemInstruction],
    };
  }
  if (modelPath.length === 2 && modelPath[0] === 'startChat' && CHAT_METHODS.has(method)) {
    const started = optionsObject(callAtMember(callee, 'startChat')?.arguments[0], resolver);
    const { options, inputs } = requestOrPrompt(call.arguments[0], 'message', resolver);
    return {
      ...base,
      api: `startChat.${method}`,
      // A message given as text: the session's options (`generationConfig`, `history`) are the call's.
      options: options ?? started,
      inputProperties: ['contents'],
      inputArguments: [...inputs, ...historyInputs(started), ...nestedInputs(started, ['systemInstruction'], resolver), ...systemInstruction],
    };
  }
  return undefined;
}

/** The legacy methods take a request object (`{ contents }`) or the prompt itself (a string or a list of parts). */
function requestOrPrompt(argument: ts.Expression | undefined, name: string, resolver: Resolver): { options?: ts.ObjectLiteralExpression; inputs: InputArgument[] } {
  if (!argument) return { inputs: [] };
  const options = optionsObject(argument, resolver);
  if (options && (objectProperty(options, 'contents') || objectProperty(options, 'content') || objectProperty(options, 'requests'))) return { options, inputs: [] };
  const e = unwrap(argument);
  return { inputs: [{ name, value: e, kind: positionalInputKind(e, resolver) }] };
}

function historyInputs(options: ts.ObjectLiteralExpression | undefined): InputArgument[] {
  const property = options ? objectProperty(options, 'history') : undefined;
  const value = propertyValue(property);
  return value ? [{ name: 'history', value, kind: 'messages', anchor: property }] : [];
}
