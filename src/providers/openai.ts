/**
 * The official `openai` SDK: OpenAI itself, Azure OpenAI through its `AzureOpenAI` class, and every
 * OpenAI-compatible API the client is pointed at with `baseURL`.
 */
import ts from '../typescript.cjs';
import { accessChain, enclosingFunction, objectProperty, propertyValue, unwrap, walk } from '../semantic/ast.js';
import { memberNames, type AccessPath, type Resolver } from '../semantic/resolve.js';
import { isLocalModelUrl, providerHost, urlText } from './hosts.js';
import type { InputArgument, Provider, SdkMethod } from './types.js';
import { clientConstruction, literalOption, matchClientMethod, methodOptions, optionsObject, unseenOptions } from './types.js';

const CHAT: SdkMethod = { inputs: ['messages'], outputCaps: ['max_tokens', 'max_completion_tokens'] };
const RESPONSES: SdkMethod = { inputs: ['input', 'instructions'], outputCaps: ['max_output_tokens'] };
const PROMPT: SdkMethod = { inputs: ['prompt'], outputCaps: ['max_tokens'] };
const IMAGE: SdkMethod = { inputs: ['prompt'], outputCaps: [], billedBy: 'images' };
const EMBEDDING: SdkMethod = { inputs: ['input'], outputCaps: [] };
const AUDIO_IN: SdkMethod = { inputs: ['file'], outputCaps: [], billedBy: 'audio' };
const SPEECH: SdkMethod = { inputs: ['input', 'instructions'], outputCaps: [], billedBy: 'characters' };
const VIDEO: SdkMethod = { inputs: ['prompt', 'input_reference'], outputCaps: [], billedBy: 'video' };
/**
 * Realtime: the route mints a short-lived key (or accepts a SIP call) for a voice session the browser then
 * runs on the owner's account, billed by audio tokens for as long as it lasts.
 */
const REALTIME_SECRET: SdkMethod = { inputs: ['session'], outputCaps: ['session.max_output_tokens'], billedBy: 'audio' };
const REALTIME_SESSION: SdkMethod = { inputs: ['instructions'], outputCaps: ['max_response_output_tokens'], billedBy: 'audio' };
/** Assistants: a run bills the model; its options follow the thread id. Adding messages to a thread does not. */
const RUN: SdkMethod = { inputs: ['additional_messages', 'instructions', 'additional_instructions'], outputCaps: ['max_completion_tokens'], optionsArgument: 1 };
/** Tool outputs resume a run, which bills on: (threadId, runId, options). */
const SUBMIT_TOOL_OUTPUTS: SdkMethod = { inputs: ['tool_outputs'], outputCaps: [], optionsArgument: 2 };
const CREATE_AND_RUN: SdkMethod = { inputs: ['thread', 'instructions', 'additional_instructions'], outputCaps: ['max_completion_tokens'] };

const METHODS: Record<string, SdkMethod> = {
  'chat.completions.create': CHAT,
  'chat.completions.stream': CHAT,
  'chat.completions.parse': CHAT,
  'beta.chat.completions.parse': CHAT,
  'beta.chat.completions.stream': CHAT,
  'responses.create': RESPONSES,
  'responses.stream': RESPONSES,
  'responses.parse': RESPONSES,
  'completions.create': PROMPT,
  'images.generate': IMAGE,
  'images.edit': IMAGE,
  'images.createVariation': IMAGE,
  'embeddings.create': EMBEDDING,
  'audio.transcriptions.create': AUDIO_IN,
  'audio.translations.create': AUDIO_IN,
  'audio.speech.create': SPEECH,
  'videos.create': VIDEO,
  'videos.remix': { ...VIDEO, inputs: ['prompt'], optionsArgument: 1 },
  'realtime.clientSecrets.create': REALTIME_SECRET,
  'realtime.calls.accept': { inputs: ['instructions'], outputCaps: ['max_output_tokens'], optionsArgument: 1, billedBy: 'audio' },
  'beta.realtime.sessions.create': REALTIME_SESSION,
  'beta.realtime.transcriptionSessions.create': { inputs: [], outputCaps: [], billedBy: 'audio' },
  'beta.threads.runs.create': RUN,
  'beta.threads.runs.createAndPoll': RUN,
  'beta.threads.runs.stream': RUN,
  'beta.threads.runs.createAndStream': RUN,
  'beta.threads.runs.submitToolOutputs': SUBMIT_TOOL_OUTPUTS,
  'beta.threads.runs.submitToolOutputsAndPoll': SUBMIT_TOOL_OUTPUTS,
  'beta.threads.runs.submitToolOutputsStream': SUBMIT_TOOL_OUTPUTS,
  'beta.threads.createAndRun': CREATE_AND_RUN,
  'beta.threads.createAndRunPoll': CREATE_AND_RUN,
  'beta.threads.createAndRunStream': CREATE_AND_RUN,
  // openai v3: new OpenAIApi(new Configuration({ apiKey }))
  createChatCompletion: CHAT,
  createCompletion: PROMPT,
  createEmbedding: EMBEDDING,
  createImage: IMAGE,
};

export const openaiProvider: Provider = {
  name: 'openai',
  triggers: { packages: ['openai', '@openai/openai'] },
  sdkModules: ['openai'],
  matchCall(call, callee, resolver) {
    const matched = matchClientMethod(callee, ['openai'], ['OpenAI', 'AzureOpenAI', 'OpenAIApi'], METHODS) ?? unresolvedClientCall(call, callee, resolver);
    if (!matched) return undefined;
    const host = hostedBy(callee, resolver);
    if (host === 'local') return undefined;
    const options = methodOptions(call, matched.method, resolver);
    return {
      provider: host,
      api: matched.api,
      call,
      options,
      ...unseenOptions(call, options, matched.method.optionsArgument),
      inputProperties: matched.method.inputs,
      outputCapProperties: matched.method.outputCaps,
      model: literalOption(options, 'model', resolver) ?? literalOption(optionsObject(propertyValue(options ? objectProperty(options, 'session') : undefined), resolver), 'model', resolver),
      ...(matched.method.billedBy ? { billedBy: matched.method.billedBy } : {}),
      ...(matched.method === RUN ? { inputArguments: threadMessages(call) } : {}),
    };
  },
};

/** The SDK's calls whose shape alone names them: the method path and the input its options carry. */
const SHAPED_CALLS: { path: string[]; input: string; api: string }[] = [
  { path: ['chat', 'completions', 'create'], input: 'messages', api: 'chat.completions.create' },
  { path: ['completions', 'create'], input: 'messages', api: 'chat.completions.create' },
  { path: ['responses', 'create'], input: 'input', api: 'responses.create' },
  { path: ['embeddings', 'create'], input: 'input', api: 'embeddings.create' },
];
const IMPORTS_SDK = /\bfrom\s*['"]openai(?:\/[^'"]*)?['"]|\brequire\(\s*['"]openai(?:\/[^'"]*)?['"]\s*\)/;

/** The file imports the SDK, or a project module its imports lead to does (a service typed with its types). */
function seesSdk(file: ts.SourceFile, resolver: Resolver): boolean {
  return IMPORTS_SDK.test(file.text) || resolver.importGraph?.reaches(file.fileName) === true;
}

/**
 * A call shaped like the SDK's (`chat.completions.create({ messages })`) on a client the resolver could not
 * follow (one a service hands out, `await this.openai.getChat()`, typed with the SDK's types), in a file that
 * imports from the SDK: the client is the SDK's, whoever made it.
 */
function unresolvedClientCall(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): { api: string; method: SdkMethod } | undefined {
  if (callee?.root.kind === 'module') return undefined;
  const { names } = accessChain(call.expression);
  const shaped = SHAPED_CALLS.find((c) => names.length >= c.path.length && c.path.every((name, i) => names[names.length - c.path.length + i] === name));
  if (!shaped || !seesSdk(call.getSourceFile(), resolver)) return undefined;
  const method = METHODS[shaped.api];
  const options = methodOptions(call, method, resolver);
  // Options built elsewhere (`create(request)`, `create({ ...request, stream: true })`) are not seen: the shape decides.
  const visible = options && !options.properties.some((p) => ts.isSpreadAssignment(p));
  return !visible || objectProperty(options, shaped.input) ? { api: shaped.api, method } : undefined;
}

/**
 * A run reads the messages added to its thread: `threads.messages.create(thread.id, { content })` earlier in the
 * same function, on the same thread expression, is input of `threads.runs.create(thread.id, ...)`.
 */
function threadMessages(run: ts.CallExpression): InputArgument[] {
  const thread = run.arguments[0] && unwrap(run.arguments[0]).getText();
  const body = enclosingFunction(run);
  if (!thread || !body) return [];
  const inputs: InputArgument[] = [];
  walk(body, (node) => {
    if (!ts.isCallExpression(node) || node.end > run.pos || !isThreadMessageCreate(node)) return;
    if (!node.arguments[0] || unwrap(node.arguments[0]).getText() !== thread) return;
    const options = node.arguments[1] && unwrap(node.arguments[1]);
    const content = options && ts.isObjectLiteralExpression(options) ? objectProperty(options, 'content') : undefined;
    const value = propertyValue(content);
    if (value) inputs.push({ name: 'thread message', value, kind: 'text', anchor: content });
  });
  return inputs;
}

function isThreadMessageCreate(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'create' && /(^|\.)threads\.messages$/.test(callee.expression.getText());
}

/**
 * Who serves the client's requests. The SDK talks to any OpenAI-compatible API through `baseURL`: OpenRouter,
 * DeepSeek, xAI, Groq, Together, Fireworks bill like OpenAI does; a model served on localhost (Ollama) does not.
 */
function hostedBy(callee: AccessPath | undefined, resolver: Resolver): string | 'local' {
  const names = callee ? memberNames(callee.segments) : [];
  const isAzure = names.includes('AzureOpenAI');
  const options = optionsObject(clientConstruction(callee)?.arguments?.[0], resolver);
  const baseURL = propertyValue(options ? objectProperty(options, 'baseURL') ?? objectProperty(options, 'baseUrl') : undefined);
  const url = baseURL ? urlText(baseURL, resolver) : undefined;
  if (url !== undefined) {
    if (isLocalModelUrl(url)) return 'local';
    const host = providerHost(url);
    if (host) return host.provider;
  }
  return isAzure ? 'azure-openai' : 'openai';
}
