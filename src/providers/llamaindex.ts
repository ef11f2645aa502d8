/**
 * LlamaIndex TS (`llamaindex`, `@llamaindex/*`): LLM classes (`new OpenAI({ model }).chat({ messages })`,
 * `.complete({ prompt })`), query engines (`index.asQueryEngine().query({ query })`), chat engines and
 * embeddings. Engines call the LLM in `Settings.llm` (OpenAI by default); when the project sets it to a local
 * model (Ollama) only, they are not paid.
 */
import ts from '../typescript.cjs';
import { calleeName, objectProperty, propertyValue, unwrap } from '../semantic/ast.js';
import { memberNames, type AccessPath, type Resolver } from '../semantic/resolve.js';
import type { AiCallMatch, InputArgument, Provider } from './types.js';
import { literalOption, optionsObject, positionalInputKind } from './types.js';

type Target = 'llm' | 'query-engine' | 'chat-engine' | 'embedding';

const METHODS: Record<Target, Record<string, { inputs: string[]; positional: string }>> = {
  llm: { chat: { inputs: ['messages'], positional: 'messages' }, complete: { inputs: ['prompt'], positional: 'prompt' } },
  'query-engine': { query: { inputs: ['query'], positional: 'query' } },
  'chat-engine': { chat: { inputs: ['message', 'chatHistory'], positional: 'message' } },
  embedding: {
    getTextEmbedding: { inputs: [], positional: 'text' },
    getTextEmbeddings: { inputs: [], positional: 'texts' },
    getQueryEmbedding: { inputs: [], positional: 'query' },
  },
};

const LOCAL_MODELS = /ollama|huggingface|llamacpp|webllm/i;
const NOT_A_MODEL = /(Store|Index|Reader|Parser|Splitter|Retriever|Tool|Document|Settings)$/;

export const llamaindexProvider: Provider = {
  name: 'llamaindex',
  triggers: { packages: ['llamaindex/*', '@llamaindex/*'] },
  sdkModules: [],
  matchCall(call, callee, resolver) {
    if (!callee || callee.root.kind !== 'module' || !isLlamaIndexModule(callee.root.module)) return undefined;
    const method = calleeName(call);
    const target = targetOf(callee);
    const spec = target && method ? METHODS[target.kind][method] : undefined;
    if (!target || !spec || !method) return undefined;
    const constructed = optionsObject(target.construction?.arguments?.[0], resolver);
    if (target.local || runsLocally(target, constructed, resolver)) return undefined;
    const options = optionsObject(call.arguments[0], resolver);
    const argument = call.arguments[0];
    const positional: InputArgument[] =
      !options && argument ? [{ name: spec.positional, value: unwrap(argument), kind: target.kind === 'llm' && method === 'chat' ? 'messages' : positionalInputKind(argument, resolver) }] : [];
    const match: AiCallMatch = {
      provider: 'llamaindex',
      api: `${target.className}.${method}`,
      call,
      options,
      inputProperties: spec.inputs,
      outputCapProperties: ['maxTokens'],
      model: literalOption(constructed, 'model', resolver),
      modelOptions: constructed,
      inputArguments: positional,
    };
    return match;
  },
};

function isLlamaIndexModule(module: string): boolean {
  return module === 'llamaindex' || module.startsWith('llamaindex/') || module.startsWith('@llamaindex/');
}

interface TargetInfo {
  kind: Target;
  className: string;
  construction?: ts.NewExpression;
  local: boolean;
}

/** What the receiver is: an LLM, an engine made from an index, an embedding model. */
function targetOf(callee: AccessPath): TargetInfo | undefined {
  if (callee.root.kind !== 'module') return undefined;
  const module = callee.root.module;
  const segments = callee.segments[0]?.kind === 'member' && callee.segments[0].name === 'default' ? callee.segments.slice(1) : callee.segments;
  const names = memberNames(segments);
  const first = segments[0]?.kind === 'member' ? segments[0].name : undefined;
  const construction = segments[1]?.kind === 'new' ? segments[1].call : undefined;
  if (!first) return undefined;
  const local = LOCAL_MODELS.test(module) || LOCAL_MODELS.test(first);
  if (names.includes('asQueryEngine')) return { kind: 'query-engine', className: 'asQueryEngine', local };
  if (names.includes('asChatEngine')) return { kind: 'chat-engine', className: 'asChatEngine', local };
  if (first === 'Settings' && names[1] === 'llm') return { kind: 'llm', className: 'Settings.llm', local: false };
  if (segments[1]?.kind !== 'new') return undefined;
  if (/QueryEngine$/.test(first)) return { kind: 'query-engine', className: first, construction, local };
  if (/ChatEngine$|Agent$/.test(first)) return { kind: 'chat-engine', className: first, construction, local };
  if (/Embedding$/.test(first)) return { kind: 'embedding', className: first, construction, local };
  if (NOT_A_MODEL.test(first)) return undefined;
  return { kind: 'llm', className: first, construction, local };
}

/** An engine runs the LLM given as its `llm` option, else the one in `Settings.llm`. */
function runsLocally(target: TargetInfo, constructed: ts.ObjectLiteralExpression | undefined, resolver: Resolver): boolean {
  if (target.kind === 'embedding' || (target.kind === 'llm' && target.className !== 'Settings.llm')) return false;
  const llm = propertyValue(constructed ? objectProperty(constructed, 'llm') : undefined);
  if (llm) return isLocalModel(resolver.resolve(llm));
  return settingsLlmIsLocal(resolver);
}

function isLocalModel(path: AccessPath | undefined): boolean {
  if (path?.root.kind !== 'module') return false;
  return LOCAL_MODELS.test(path.root.module) || LOCAL_MODELS.test(memberNames(path.segments)[0] ?? '');
}

const settingsCache = new WeakMap<object, boolean>();

/** Does the project only ever set `Settings.llm` to a local model? */
function settingsLlmIsLocal(resolver: Resolver): boolean {
  const project = resolver.project;
  const cached = settingsCache.get(project);
  if (cached !== undefined) return cached;
  let local = false;
  let paid = false;
  for (const file of project.filesWhere((f) => f.mentionsAi && f.text.includes('Settings'))) {
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && node.left.name.text === 'llm') {
        if (isLocalModel(resolver.resolve(node.right))) local = true;
        else paid = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  const result = local && !paid;
  settingsCache.set(project, result);
  return result;
}
