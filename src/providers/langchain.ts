/**
 * LangChain JS: chat models and LLMs from the `@langchain/*` integrations (`ChatOpenAI`, `ChatAnthropic`,
 * `ChatGoogleGenerativeAI`, `ChatMistralAI`, `ChatGroq`, `ChatBedrockConverse`, ...) called with `invoke`,
 * `stream`, `batch`, `call`, either directly or through a runnable that contains one: `prompt.pipe(model)`,
 * `RunnableSequence.from([...])`, a legacy `LLMChain({ llm })`, an agent built with `{ llm }`; LangChain v1's
 * `initChatModel('openai:gpt-4o')` and `createAgent({ model: 'openai:gpt-4o' })` name the model as a string.
 * Models served locally (Ollama, llama.cpp, WebLLM) are not paid.
 */
import ts from '../typescript.cjs';
import { propertyNameText, propertyValue, unwrap } from '../semantic/ast.js';
import type { AccessPath, Resolver } from '../semantic/resolve.js';
import type { AiCallMatch, InputArgument, Provider } from './types.js';
import { constantString, literalOption, optionsObject, positionalInputKind } from './types.js';

const RUNNABLE_METHODS = new Set(['invoke', 'stream', 'batch', 'call', 'predict', 'predictMessages', 'generate', 'streamEvents', 'streamLog', 'run']);
const EMBEDDING_METHODS = new Set(['embedQuery', 'embedDocuments']);
/**
 * Vector store methods that embed every document or text they are given with the store's embeddings model:
 * `XStore.fromDocuments(docs, embeddings)`, `XStore.fromTexts(texts, metadatas, embeddings)`, and
 * `addDocuments` / `addTexts` on a store made with one (`new XStore(embeddings)`, `XStore.fromExistingIndex(embeddings)`).
 */
const VECTOR_STORE_METHODS = new Set(['fromDocuments', 'fromTexts', 'addDocuments', 'addTexts']);
const EMBEDDINGS_ARGUMENT: Record<string, number> = { fromDocuments: 1, fromTexts: 2 };

/** Packages that build prompts, parsers and graphs around models but hold none themselves. */
const FRAMEWORK_MODULES = /^@langchain\/(core|langgraph|textsplitters)(\/|$)/;
const LOCAL_MODELS = /ollama|llama_?cpp|webllm|transformers|fake/i;
/** LLM classes (text in, text out) whose names do not say "Chat". */
const LLM_CLASSES = new Set(['OpenAI', 'AzureOpenAI', 'Anthropic', 'Cohere', 'MistralAI', 'GoogleVertexAI', 'Bedrock', 'Replicate', 'Fireworks', 'TogetherAI', 'DeepSeek']);
/** Classes named like models that are not: message histories, prompt templates, memories. */
const NOT_A_MODEL = /(History|Template|Message|Messages|Memory|Store|Parser|Retriever|Loader|Tool|Toolkit|Chain|Agent|Handler)$/;

const MODEL_ID_OPTIONS = ['model', 'modelName', 'model_name', 'azureOpenAIApiDeploymentName', 'deploymentName'];
const OUTPUT_CAPS = ['maxTokens', 'maxOutputTokens', 'maxCompletionTokens', 'max_tokens'];
const MESSAGE_NAMES = /messages|history|conversation/i;

interface FoundModel {
  className: string;
  /** Where the model was made: `new ChatOpenAI({...})`, `initChatModel('gpt-4o', {...})`. */
  construction?: ts.NewExpression | ts.CallExpression;
}

export const langchainProvider: Provider = {
  name: 'langchain',
  triggers: { packages: ['langchain/*', '@langchain/*'] },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    if (!callee || callee.root.kind !== 'module' || !isLangChainModule(callee.root.module)) return undefined;
    const last = callee.segments[callee.segments.length - 1];
    const method = last?.kind === 'member' ? last.name : undefined;
    if (!method) return undefined;

    if (VECTOR_STORE_METHODS.has(method)) return vectorStoreCall(call, callee, method, resolver);
    if (EMBEDDING_METHODS.has(method)) {
      const embeddings = modelAt(callee, isPaidEmbeddings);
      if (!embeddings) return undefined;
      return matchFor(call, `${embeddings.className}.${method}`, embeddings, positionalInputs(call, resolver), resolver);
    }
    if (!RUNNABLE_METHODS.has(method)) return undefined;
    const direct = modelAt(callee, isPaidModel) ?? agentWithNamedModel(callee, resolver);
    const model = direct ?? findModel(callee, resolver, 0);
    if (!model || isLocalUniversalModel(model, resolver)) return undefined;
    const api = direct ? `${model.className}.${method}` : `chain(${model.className}).${method}`;
    return matchFor(call, api, model, chainInputs(call, resolver), resolver);
  },
};

function matchFor(call: ts.CallExpression, api: string, model: FoundModel, inputs: InputArgument[], resolver: Resolver): AiCallMatch {
  const constructed = optionsObject(model.construction?.arguments?.[model.className === 'initChatModel' ? 1 : 0], resolver);
  const modelId = namedModel(model, resolver) ?? MODEL_ID_OPTIONS.map((name) => literalOption(constructed, name, resolver)).find((id) => id !== undefined);
  return {
    provider: 'langchain',
    api,
    call,
    inputProperties: [],
    outputCapProperties: OUTPUT_CAPS,
    model: modelId,
    modelOptions: constructed,
    inputArguments: inputs,
  };
}

function isLangChainModule(module: string): boolean {
  return module === 'langchain' || module.startsWith('langchain/') || module.startsWith('@langchain/');
}

function isPaidModel(module: string, className: string): boolean {
  if (FRAMEWORK_MODULES.test(module) || LOCAL_MODELS.test(module) || LOCAL_MODELS.test(className) || NOT_A_MODEL.test(className)) return false;
  if (/^(Azure)?Chat[A-Z]/.test(className) || /Chat$/.test(className)) return true;
  if (/\/(llms|chat_models)(\/|$)/.test(module)) return /^[A-Z]/.test(className) && !/Embeddings?$/.test(className);
  return LLM_CLASSES.has(className);
}

function isPaidEmbeddings(module: string, className: string): boolean {
  return !FRAMEWORK_MODULES.test(module) && !LOCAL_MODELS.test(module) && !LOCAL_MODELS.test(className) && /Embeddings$/.test(className);
}

/**
 * The model a path starts from: `new ChatOpenAI({...})...`, or `initChatModel(...)` from `langchain` (v1) or
 * `langchain/chat_models/universal`.
 */
function modelAt(path: AccessPath, isModel: (module: string, className: string) => boolean): FoundModel | undefined {
  if (path.root.kind !== 'module') return undefined;
  const module = path.root.module;
  const [first, second] = path.segments;
  if (first?.kind !== 'member') return undefined;
  if (second?.kind === 'new' && isModel(module, first.name)) return { className: first.name, construction: second.call };
  if (first.name === 'initChatModel' && second?.kind === 'call' && (module === 'langchain' || module.startsWith('langchain/chat_models'))) {
    return { className: 'initChatModel', construction: second.call };
  }
  return undefined;
}

/** LangChain v1's `createAgent({ model: 'openai:gpt-4o', tools })`: the model named by a string, not an instance. */
function agentWithNamedModel(path: AccessPath, resolver: Resolver): FoundModel | undefined {
  if (path.root.kind !== 'module' || path.root.module !== 'langchain') return undefined;
  const [first, second] = path.segments;
  if (first?.kind !== 'member' || first.name !== 'createAgent' || second?.kind !== 'call') return undefined;
  const model = agentModelOption(second.call, resolver);
  return model !== undefined && constantString(model, resolver) !== undefined ? { className: 'createAgent', construction: second.call } : undefined;
}

function agentModelOption(call: ts.CallExpression | ts.NewExpression | undefined, resolver: Resolver): ts.Expression | undefined {
  return propertyValue(optionsObject(call?.arguments?.[0], resolver)?.properties.find((p) => !ts.isSpreadAssignment(p) && propertyNameText(p.name) === 'model'));
}

/** The model id a universal model or an agent names (`openai:gpt-4o` is `gpt-4o` from OpenAI). */
function namedModel(model: FoundModel, resolver: Resolver): string | undefined {
  const named =
    model.className === 'initChatModel'
      ? constantString(model.construction?.arguments?.[0], resolver)
      : model.className === 'createAgent'
        ? constantString(agentModelOption(model.construction, resolver), resolver)
        : undefined;
  return named?.replace(PROVIDER_PREFIX, '');
}

/** `provider:` in LangChain's `initChatModel` / `createAgent` model strings. */
const PROVIDER_PREFIX = /^(?:openai|azure_openai|anthropic|google-genai|google-vertexai(?:-web)?|google|mistralai|groq|bedrock(?:_converse)?|cohere|fireworks|together(?:ai)?|xai|deepseek|cerebras|perplexity|ollama):/;

/** `initChatModel('llama3', { modelProvider: 'ollama' })` and `createAgent({ model: 'ollama:llama3' })` run locally. */
function isLocalUniversalModel(model: FoundModel, resolver: Resolver): boolean {
  if (model.className === 'createAgent') return /^ollama:/.test(constantString(agentModelOption(model.construction, resolver), resolver) ?? '');
  if (model.className !== 'initChatModel') return false;
  const id = constantString(model.construction?.arguments?.[0], resolver) ?? '';
  const provider = literalOption(optionsObject(model.construction?.arguments?.[1], resolver), 'modelProvider', resolver) ?? '';
  return LOCAL_MODELS.test(provider) || /^ollama:/.test(id);
}

const MAX_SEARCH_DEPTH = 4;

/** A paid model anywhere in a runnable: the arguments of `.pipe(...)`, `RunnableSequence.from([...])`, `new LLMChain({ llm })`. */
function findModel(path: AccessPath, resolver: Resolver, depth: number): FoundModel | undefined {
  const direct = modelAt(path, isPaidModel);
  if (direct) return direct;
  if (depth >= MAX_SEARCH_DEPTH) return undefined;
  if (path.root.kind === 'local' && path.segments.length === 0 && ts.isExpression(path.root.node)) {
    return findInParts(path.root.node, path, resolver, depth);
  }
  for (const segment of path.segments) {
    const call = segment.kind === 'call' || segment.kind === 'new' ? segment.call : undefined;
    for (const argument of call?.arguments ?? []) {
      const found = findInParts(argument, path, resolver, depth);
      if (found) return found;
    }
  }
  return undefined;
}

function findInParts(expression: ts.Expression, path: AccessPath, resolver: Resolver, depth: number): FoundModel | undefined {
  for (const part of runnableParts(expression)) {
    const resolved = resolver.resolve(part, path.context);
    const found = resolved && findModel(resolved, resolver, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The pieces a runnable is built from: list elements (`[prompt, model, parser]`) and map values (`{ llm: model }`). */
function runnableParts(expression: ts.Expression): ts.Expression[] {
  const e = unwrap(expression);
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((element) => (ts.isSpreadElement(element) ? [] : runnableParts(element)));
  if (ts.isObjectLiteralExpression(e)) return e.properties.flatMap((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? runnableParts(propertyValue(p)!) : []));
  if (ts.isFunctionLike(e)) return [];
  return [e];
}

/**
 * What the call passes to the runnable. A chain takes an object of template variables (each one is model input);
 * a chat model takes a message list or a string.
 */
function chainInputs(call: ts.CallExpression, resolver: Resolver): InputArgument[] {
  const argument = call.arguments[0];
  if (!argument) return [];
  const variables = optionsObject(argument, resolver);
  if (!variables) return positionalInputs(call, resolver);
  return variables.properties.flatMap((property): InputArgument[] => {
    if (ts.isSpreadAssignment(property)) return [{ name: '...spread', value: property.expression, kind: 'text', anchor: property }];
    const name = propertyNameText(property.name);
    const value = propertyValue(property);
    if (!name || !value) return [];
    return [{ name, value, kind: MESSAGE_NAMES.test(name) ? 'messages' : 'text', anchor: property }];
  });
}

function positionalInputs(call: ts.CallExpression, resolver: Resolver): InputArgument[] {
  const argument = call.arguments[0];
  if (!argument) return [];
  return [{ name: 'input', value: argument, kind: positionalInputKind(argument, resolver) }];
}

/** A vector store call that embeds its documents with a paid embeddings model; vectors only, nothing to cap. */
function vectorStoreCall(call: ts.CallExpression, callee: AccessPath, method: string, resolver: Resolver): AiCallMatch | undefined {
  const storeClass = callee.segments[0]?.kind === 'member' ? callee.segments[0].name : undefined;
  if (!storeClass || !/VectorStore|Store$|Search$|Index$/.test(storeClass)) return undefined;
  const candidates = method in EMBEDDINGS_ARGUMENT ? [call.arguments[EMBEDDINGS_ARGUMENT[method]!]] : storeConstructionArguments(callee);
  for (const argument of candidates) {
    const resolved = argument && resolver.resolve(argument, callee.context);
    const embeddings = resolved && modelAt(resolved, isPaidEmbeddings);
    if (!embeddings) continue;
    const documents = splitInput(call.arguments[0], callee, resolver);
    const inputs: InputArgument[] = documents ? [{ name: 'input', value: documents, kind: 'text' }] : positionalInputs(call, resolver);
    const matched = matchFor(call, `${storeClass}.${method}(${embeddings.className})`, embeddings, inputs, resolver);
    return { ...matched, outputCapProperties: [] };
  }
  return undefined;
}

/** The arguments the store instance was made with: `new XStore(embeddings, ...)`, `XStore.fromExistingIndex(embeddings, ...)`. */
function storeConstructionArguments(callee: AccessPath): readonly ts.Expression[] {
  for (const segment of callee.segments) {
    if (segment.kind === 'new' && segment.call) return segment.call.arguments ?? [];
    if (segment.kind === 'call') return segment.call.arguments;
  }
  return [];
}

const SPLITTER_METHODS = new Set(['createDocuments', 'splitDocuments', 'splitText']);

/** Documents cut by a text splitter (`splitter.createDocuments([text])`) carry the text it was given. */
function splitInput(argument: ts.Expression | undefined, callee: AccessPath, resolver: Resolver): ts.Expression | undefined {
  const path = argument && resolver.resolve(argument, callee.context);
  if (!path || path.root.kind !== 'module' || !isLangChainModule(path.root.module)) return undefined;
  const [last, beforeLast] = [path.segments[path.segments.length - 1], path.segments[path.segments.length - 2]];
  if (last?.kind !== 'call' || beforeLast?.kind !== 'member' || !SPLITTER_METHODS.has(beforeLast.name)) return undefined;
  return last.call.arguments[0];
}
