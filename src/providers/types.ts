/**
 * Stage 5, ai calls: which calls are paid model calls. One file per SDK family, mostly data.
 */
import ts from '../typescript.cjs';
import type { AccessPath, Resolver } from '../semantic/resolve.js';
import { constantString, memberNames, segmentSignature } from '../semantic/resolve.js';
import { calleeName, objectProperty, propertyValue, stringValue, unwrap } from '../semantic/ast.js';
import type { PackageDeclaration } from '../semantic/package-name.js';
import type { ProviderHost } from './hosts.js';

export { constantString } from '../semantic/resolve.js';

/** A paid model call recognised in the code. */
export interface AiCallMatch {
  provider: string;
  api: string;
  call: ts.CallExpression;
  /** The object literal carrying the call's parameters (the SDK options, or a raw HTTP JSON body). */
  options?: ts.ObjectLiteralExpression;
  /**
   * Where the options were read from when no object is written there (a helper's parameter): the reach,
   * which knows the arguments of the calls on the way, finds the object through it.
   */
  optionsSource?: ts.Expression;
  /** Option names that carry model input: messages, prompt, input, ... */
  inputProperties: string[];
  /** Option names that cap the output tokens; dotted names are nested (`config.maxOutputTokens`). */
  outputCapProperties: string[];
  /** The model id when it is a literal. */
  model?: string;
  /** Where input findings point instead of the option property (raw HTTP calls: the request itself). */
  inputAnchor?: ts.Node;
  /**
   * Model input outside the options object: a positional argument (`model.generateContent(prompt)`,
   * `chatModel.invoke(messages)`) or chat history given when the chat session was started.
   */
  inputArguments?: InputArgument[];
  /**
   * Options given where the model was configured rather than per call (a LangChain constructor,
   * `getGenerativeModel({...})`, `chats.create({...})`): the model id and output caps may sit there.
   * `outputCapProperties` names are looked up in `options`, then here.
   */
  modelOptions?: ts.ObjectLiteralExpression;
  /**
   * The unit the API bills in when it is not tokens (speech by the character, transcription by the minute,
   * images and video by the item). Such a call is priced only by a table entry in that unit.
   */
  billedBy?: BillingUnit;
}

export type BillingUnit = 'characters' | 'audio' | 'images' | 'video' | 'media' | 'requests';

/** One piece of model input that is not a property of the call's options object. */
export interface InputArgument {
  /** What findings call it: `prompt`, `messages`, `history`, a template variable. */
  name: string;
  value: ts.Expression;
  /** How the model reads it: a list of chat messages (count, size and roles matter) or text (size matters). */
  kind: 'messages' | 'text';
  /** Where findings point; the value itself when absent. */
  anchor?: ts.Node;
}

/**
 * What switches a provider on, for the index's cheap pre-filter: a file that shows none of it cannot make the
 * provider's paid calls itself. The index's AI markers are built from every provider's triggers.
 */
export interface ProviderTriggers {
  /** The packages it is imported from (see `PackageDeclaration`: `x/*` is `x` and everything under it). */
  packages: readonly PackageDeclaration[];
  /** Other text that shows it is used without an import: a platform binding's call, a model-id prefix. */
  markers?: readonly RegExp[];
  /** REST hosts whose raw HTTP calls are paid calls. */
  hosts?: readonly ProviderHost[];
}

export interface Provider {
  name: string;
  triggers: ProviderTriggers;
  /** Packages whose client classes, used as a type (`client: OpenAI`), stand for an instance. */
  sdkModules: readonly string[];
  /** Cheap test on the resolved callee before the provider's own matching. */
  matchCall(call: ts.CallExpression, callee: AccessPath | undefined, resolver: Resolver): AiCallMatch | undefined;
}

/**
 * An SDK method table: `chat.completions.create` → what its options mean. Output caps may be dotted to name
 * a nested option (`config.maxOutputTokens`).
 */
export interface SdkMethod {
  inputs: string[];
  outputCaps: string[];
  /** Which argument holds the request options: the first unless the call takes an id before them. */
  optionsArgument?: number;
  /** Model input passed positionally (`transcribeFile(buffer, options)`), by argument index. */
  inputArguments?: Record<number, string>;
  /** Which argument holds the model id, when not the options (`speak.request({ text }, { model })`). */
  modelArgument?: number;
  billedBy?: BillingUnit;
}

/**
 * Matches `new Client(...).a.b.c(...)` for an SDK whose client class is exported by `modules` under one of
 * `classNames` (or as the default export), or whose client a factory function makes (`createClient(key)`).
 */
export function matchClientMethod(
  callee: AccessPath | undefined,
  modules: readonly string[],
  classNames: readonly string[],
  methods: Record<string, SdkMethod>,
  factories: readonly string[] = [],
): { api: string; method: SdkMethod } | undefined {
  if (!callee || callee.root.kind !== 'module' || !modules.includes(callee.root.module)) return undefined;
  let segments = callee.segments;
  if (segments[0]?.kind === 'member' && segments[0].name === 'default') segments = segments.slice(1);
  const first = segments[0];
  const made = first?.kind === 'member' && factories.includes(first.name) && segments[1]?.kind === 'call';
  if (made) segments = segments.slice(1);
  else if (first?.kind === 'member' && classNames.includes(first.name)) segments = segments.slice(1);
  if (segments[0]?.kind !== (made ? 'call' : 'new')) return undefined;
  const api = segmentSignature(segments.slice(1));
  const method = methods[api];
  return method ? { api, method } : undefined;
}

/** Matches a function exported by one of `modules`: `generateText(...)`, `ai.generateText(...)`. */
export function matchModuleFunction(callee: AccessPath | undefined, modules: readonly string[], names: readonly string[]): string | undefined {
  if (!callee || callee.root.kind !== 'module' || !modules.includes(callee.root.module)) return undefined;
  if (callee.segments.some((s) => s.kind !== 'member')) return undefined;
  const path = memberNames(callee.segments).filter((n) => n !== 'default');
  return path.length === 1 && names.includes(path[0]) ? path[0] : undefined;
}

/** The first argument as an object literal, following a variable that holds one. */
export function optionsObject(argument: ts.Expression | undefined, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  if (!argument) return undefined;
  const e = unwrap(argument);
  if (ts.isObjectLiteralExpression(e)) return e;
  const resolved = resolver.resolve(e);
  if (resolved?.root.kind === 'local' && resolved.segments.length === 0 && ts.isObjectLiteralExpression(resolved.root.node)) {
    return resolved.root.node;
  }
  return undefined;
}

/** The literal value of an option (following a const), e.g. the model id. */
export function literalOption(options: ts.ObjectLiteralExpression | undefined, name: string, resolver: Resolver): string | undefined {
  const value = propertyValue(options ? objectProperty(options, name) : undefined);
  return constantString(value, resolver);
}


/** A client SDK whose paid methods all take one options object: the common case, as data. */
export interface ClientSdk {
  /** The provider reported for its calls. */
  provider: string;
  modules: readonly string[];
  /** Exported client classes (the default export is always accepted). */
  classNames: readonly string[];
  methods: Record<string, SdkMethod>;
  /** Functions that make a client (`createClient(apiKey)`), besides `new` on a class. */
  factories?: readonly string[];
  /** The options carrying the model id, the first present wins (`modelId`, `model_id`). */
  modelOption?: string | readonly string[];
}

export function clientSdkProvider(name: string, sdk: ClientSdk): Provider {
  const modelOptions = typeof sdk.modelOption === 'string' ? [sdk.modelOption] : sdk.modelOption ?? ['model'];
  return {
    name,
    triggers: { packages: sdk.modules },
    sdkModules: sdk.modules,
    matchCall(call, callee, resolver) {
      const matched = matchClientMethod(callee, sdk.modules, sdk.classNames, sdk.methods, sdk.factories);
      if (!matched) return undefined;
      const { method } = matched;
      const options = methodOptions(call, method, resolver);
      const modelIn = method.modelArgument === undefined ? options : optionsObject(call.arguments[method.modelArgument], resolver);
      const inputArguments = positionalInputs(call, method, resolver);
      return {
        provider: sdk.provider,
        api: matched.api,
        call,
        options,
        ...unseenOptions(call, options, method.optionsArgument),
        inputProperties: method.inputs,
        outputCapProperties: method.outputCaps,
        model: modelOptions.map((o) => literalOption(modelIn, o, resolver)).find((m) => m !== undefined),
        ...(inputArguments.length ? { inputArguments } : {}),
        ...(method.billedBy ? { billedBy: method.billedBy } : {}),
      };
    },
  };
}

function positionalInputs(call: ts.CallExpression, method: SdkMethod, resolver: Resolver): InputArgument[] {
  return Object.entries(method.inputArguments ?? {}).flatMap(([index, name]) => {
    const value = call.arguments[Number(index)];
    return value ? [{ name, value, kind: positionalInputKind(value, resolver) }] : [];
  });
}

/** The options object of a call to an SDK method, from the argument the method takes them in. */
export function methodOptions(call: ts.CallExpression, method: SdkMethod, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  return optionsObject(call.arguments[method.optionsArgument ?? 0], resolver);
}

/** The argument an SDK method takes its options in, when no object is seen there (a helper's parameter). */
export function unseenOptions(call: ts.CallExpression, options: ts.ObjectLiteralExpression | undefined, index = 0): { optionsSource?: ts.Expression } {
  const argument = call.arguments[index];
  return options || !argument ? {} : { optionsSource: argument };
}

/** The `new Client(...)` expression a resolved callee was built from, when the code shows it. */
export function clientConstruction(callee: AccessPath | undefined): ts.NewExpression | undefined {
  const segment = callee?.segments.find((s) => s.kind === 'new');
  return segment?.kind === 'new' ? segment.call : undefined;
}

/** The call made at a member on the way to the callee: `getGenerativeModel(...)` in `genAI.getGenerativeModel({...}).generateContent`. */
export function callAtMember(callee: AccessPath, name: string): ts.CallExpression | undefined {
  for (let i = 0; i < callee.segments.length - 1; i++) {
    const segment = callee.segments[i];
    const next = callee.segments[i + 1];
    if (segment.kind === 'member' && segment.name === name && next.kind === 'call') return next.call;
  }
  return undefined;
}

const MESSAGE_LIST_NAMES = /messages|history|conversation|transcript|turns|^contents$/i;

/**
 * How a value passed positionally to a model is read. A literal list of role-tagged messages (objects with a
 * `role`, `[role, text]` tuples, message class instances) or a value named like one (`body.messages`,
 * `history`) is a message list; a string, a template, a list of parts or anything else is text.
 */
export function positionalInputKind(argument: ts.Expression, resolver: Resolver): 'messages' | 'text' {
  const e = unwrap(argument);
  const list = ts.isArrayLiteralExpression(e) ? e : localArrayLiteral(e, resolver);
  if (list) return list.elements.some(isMessageLike) ? 'messages' : 'text';
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e) || ts.isBinaryExpression(e)) return 'text';
  const path = resolver.resolve(e);
  const names = path ? memberNames(path.segments) : [];
  const last = names[names.length - 1] ?? (ts.isIdentifier(e) ? e.text : undefined);
  return last !== undefined && MESSAGE_LIST_NAMES.test(last) ? 'messages' : 'text';
}

function localArrayLiteral(e: ts.Expression, resolver: Resolver): ts.ArrayLiteralExpression | undefined {
  if (!ts.isIdentifier(e)) return undefined;
  const path = resolver.resolve(e);
  return path?.root.kind === 'local' && path.segments.length === 0 && ts.isArrayLiteralExpression(path.root.node) ? path.root.node : undefined;
}

function isMessageLike(element: ts.Expression): boolean {
  if (ts.isSpreadElement(element)) return false;
  const e = unwrap(element);
  if (ts.isObjectLiteralExpression(e)) return objectProperty(e, 'role') !== undefined;
  if (ts.isNewExpression(e)) return /Message$/.test(calleeName(e) ?? '');
  if (ts.isArrayLiteralExpression(e)) return e.elements.length === 2 && stringValue(e.elements[0]) !== undefined;
  return false;
}

/** A property of an options object by dotted path (`config.systemInstruction`), following consts on the way. */
export function nestedProperty(options: ts.ObjectLiteralExpression | undefined, path: string, resolver: Resolver): ts.ObjectLiteralElementLike | undefined {
  let object = options;
  let property: ts.ObjectLiteralElementLike | undefined;
  for (const name of path.split('.')) {
    if (!object) return undefined;
    property = objectProperty(object, name);
    object = optionsObject(propertyValue(property), resolver);
  }
  return property;
}

/** Input options nested in a config object (`config.systemInstruction`), as input arguments anchored at the outer property. */
export function nestedInputs(options: ts.ObjectLiteralExpression | undefined, paths: readonly string[], resolver: Resolver): InputArgument[] {
  const found: InputArgument[] = [];
  for (const path of paths) {
    const value = propertyValue(nestedProperty(options, path, resolver));
    const outer = options ? objectProperty(options, path.split('.')[0]) : undefined;
    if (value) found.push({ name: path, value, kind: 'text', anchor: outer });
  }
  return found;
}

/**
 * Whether the call, or the place its model was configured (`modelOptions`), may set one of its output caps.
 * Dotted caps are followed into nested object literals; a spread or a non-literal object on the way may hold
 * the cap, so it counts as set.
 */
export function setsOutputCap(match: AiCallMatch): boolean {
  const objects = [match.options, match.modelOptions].filter((o): o is ts.ObjectLiteralExpression => o !== undefined);
  return objects.some((object) => match.outputCapProperties.some((cap) => mayHaveOption(object, cap.split('.'))));
}

function mayHaveOption(object: ts.ObjectLiteralExpression, path: string[]): boolean {
  if (object.properties.some(ts.isSpreadAssignment)) return true;
  const property = objectProperty(object, path[0]);
  if (!property) return false;
  if (path.length === 1) return true;
  const value = propertyValue(property);
  const inner = value && unwrap(value);
  if (!inner || !ts.isObjectLiteralExpression(inner)) return true;
  return mayHaveOption(inner, path.slice(1));
}

/** The expression an output cap is set to: the first cap found in the call's options, then in `modelOptions`. */
export function outputCapValue(match: AiCallMatch, resolver: Resolver): ts.Expression | undefined {
  for (const object of [match.options, match.modelOptions]) {
    for (const cap of match.outputCapProperties) {
      const value = propertyValue(nestedProperty(object, cap, resolver));
      if (value) return value;
    }
  }
  return undefined;
}

/**
 * The model id an expression names: a model-maker's first argument (`openai('gpt-4o')`,
 * `anthropic.messages('claude-...')`, `googleAI.model('gemini-2.5-flash')`) or a constant string (`'openai/gpt-4o'`).
 */
export function modelId(expression: ts.Expression | undefined, resolver: Resolver): string | undefined {
  if (!expression) return undefined;
  const e = unwrap(expression);
  return ts.isCallExpression(e) ? constantString(e.arguments[0], resolver) : constantString(e, resolver);
}
