/**
 * The paid AI providers' REST hosts, and the hosts of models running on the developer's own machine.
 * Shared by raw HTTP calls and by SDK clients pointed at another host with a `baseURL`.
 */
import ts from '../typescript.cjs';
import { unwrap } from '../semantic/ast.js';
import { escapeRegExp } from '../semantic/package-name.js';
import { constructorAssignment, type Resolver, returnExpressions } from '../semantic/resolve.js';
import { type BillingUnit, constantString } from './types.js';

export interface ProviderHost {
  provider: string;
  /**
   * Host names: a name also covers its subdomains; `*` stands for a region or resource name, which code
   * often interpolates (`*.openai.azure.com`, `bedrock-runtime*.amazonaws.com`, `*aiplatform.googleapis.com`
   * for Vertex AI's regional `us-central1-aiplatform.googleapis.com`).
   */
  hosts: string[];
  /** What the provider's JSON bodies call model input. */
  inputs: string[];
  /** What they call the output cap; a dotted name is nested (`generationConfig.maxOutputTokens`). */
  outputCaps: string[];
  /**
   * What its key's environment variable is named after (`OPENAI` for `OPENAI_API_KEY`): a raw request to
   * a URL the code does not show, with a model body, is the provider's when its key authorises it.
   */
  keyEnv?: string[];
  /** The unit its API bills in when not tokens. */
  billedBy?: BillingUnit;
  /** Only requests to a path like this are the provider's (the host serves other APIs too). */
  path?: RegExp;
  /** The host serves other uses too: a request is the provider's only when its key header holds the provider's key. */
  keyRequired?: boolean;
  /**
   * For an API whose bodies name no model: the body properties that mark a generating request to it, when its
   * key authorises a request to a URL the code does not show (D-ID's `script`).
   */
  modelFreeBody?: string[];
}

const OPENAI_BODY = { inputs: ['messages', 'input', 'prompt', 'instructions'], outputCaps: ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] };
const OPENAI_COMPATIBLE_BODY = { inputs: ['messages', 'prompt', 'input'], outputCaps: ['max_tokens', 'max_completion_tokens'] };

export const PROVIDER_HOSTS: readonly ProviderHost[] = [
  { provider: 'openai', hosts: ['api.openai.com'], ...OPENAI_BODY, keyEnv: ['OPENAI'] },
  { provider: 'azure-openai', hosts: ['*.openai.azure.com', '*.cognitiveservices.azure.com', '*.services.ai.azure.com'], ...OPENAI_BODY, keyEnv: ['AZURE_OPENAI'] },
  { provider: 'anthropic', hosts: ['api.anthropic.com'], inputs: ['messages', 'system', 'prompt'], outputCaps: ['max_tokens'], keyEnv: ['ANTHROPIC', 'CLAUDE'] },
  {
    provider: 'google',
    hosts: ['generativelanguage.googleapis.com', '*aiplatform.googleapis.com'],
    inputs: ['contents', 'systemInstruction', 'messages'],
    outputCaps: ['generationConfig.maxOutputTokens', 'max_tokens'],
    keyEnv: ['GEMINI', 'GOOGLE_AI', 'GOOGLE_GENERATIVE_AI', 'GOOGLE_GENAI'],
  },
  { provider: 'mistral', hosts: ['api.mistral.ai', 'codestral.mistral.ai'], inputs: ['messages', 'prompt', 'input', 'inputs'], outputCaps: ['max_tokens'], keyEnv: ['MISTRAL'] },
  {
    provider: 'cohere',
    hosts: ['api.cohere.com', 'api.cohere.ai'],
    inputs: ['messages', 'message', 'chat_history', 'preamble', 'prompt', 'texts', 'inputs', 'query', 'documents'],
    outputCaps: ['max_tokens'],
    keyEnv: ['COHERE'],
  },
  { provider: 'groq', hosts: ['api.groq.com'], ...OPENAI_COMPATIBLE_BODY, keyEnv: ['GROQ'] },
  { provider: 'together', hosts: ['api.together.xyz', 'api.together.ai'], ...OPENAI_COMPATIBLE_BODY, keyEnv: ['TOGETHER', 'TOGETHER_AI'] },
  { provider: 'fireworks', hosts: ['api.fireworks.ai'], ...OPENAI_COMPATIBLE_BODY, keyEnv: ['FIREWORKS', 'FIREWORKS_AI'] },
  { provider: 'openrouter', hosts: ['openrouter.ai'], ...OPENAI_COMPATIBLE_BODY, keyEnv: ['OPENROUTER'] },
  { provider: 'deepseek', hosts: ['api.deepseek.com'], ...OPENAI_COMPATIBLE_BODY, keyEnv: ['DEEPSEEK'] },
  { provider: 'xai', hosts: ['api.x.ai'], ...OPENAI_COMPATIBLE_BODY, keyEnv: ['XAI', 'GROK'] },
  { provider: 'perplexity', hosts: ['api.perplexity.ai'], ...OPENAI_COMPATIBLE_BODY, keyEnv: ['PERPLEXITY', 'PPLX'] },
  {
    provider: 'huggingface',
    hosts: ['router.huggingface.co', 'api-inference.huggingface.co'],
    inputs: ['inputs', 'messages', 'prompt'],
    outputCaps: ['max_tokens', 'parameters.max_new_tokens'],
    keyEnv: ['HF', 'HUGGINGFACE', 'HUGGING_FACE'],
  },
  { provider: 'replicate', hosts: ['api.replicate.com'], inputs: ['input'], outputCaps: ['input.max_tokens', 'input.max_new_tokens'], keyEnv: ['REPLICATE'] },
  { provider: 'elevenlabs', hosts: ['api.elevenlabs.io'], inputs: ['text', 'inputs', 'prompt'], outputCaps: [], keyEnv: ['ELEVENLABS', 'ELEVEN_LABS'], billedBy: 'characters' },
  { provider: 'deepgram', hosts: ['api.deepgram.com'], inputs: ['url', 'text'], outputCaps: [], keyEnv: ['DEEPGRAM'], billedBy: 'audio' },
  { provider: 'assemblyai', hosts: ['api.assemblyai.com', 'api.eu.assemblyai.com'], inputs: ['audio_url', 'prompt', 'input_text'], outputCaps: [], keyEnv: ['ASSEMBLYAI', 'ASSEMBLY_AI'], billedBy: 'audio' },
  { provider: 'stability', hosts: ['api.stability.ai'], inputs: ['prompt', 'text_prompts', 'image'], outputCaps: [], keyEnv: ['STABILITY', 'STABILITY_AI'], billedBy: 'images' },
  // Talking-avatar video, billed in credits per second of video; bodies carry a `script` and no model.
  { provider: 'd-id', hosts: ['api.d-id.com'], inputs: ['script'], outputCaps: [], keyEnv: ['D_ID', 'DID'], billedBy: 'video', modelFreeBody: ['script'] },
  // Midjourney has no public API: apps drive its Discord bot through Discord's interactions endpoint with an account
  // token. Discord serves every other bot too, so only a request authorised by a Midjourney-named key counts.
  {
    provider: 'midjourney',
    hosts: ['discord.com', 'discordapp.com'],
    path: /^\/api(?:\/v\d+)?\/interactions\b/,
    keyRequired: true,
    inputs: ['data'],
    outputCaps: [],
    keyEnv: ['MJ', 'MIDJOURNEY'],
    billedBy: 'images',
  },
  { provider: 'fal', hosts: ['fal.run', 'queue.fal.run'], inputs: ['prompt', 'input', 'image_url'], outputCaps: [], keyEnv: ['FAL'], billedBy: 'media' },
  {
    provider: 'bedrock',
    hosts: ['bedrock-runtime*.amazonaws.com'],
    inputs: ['messages', 'system', 'prompt', 'inputText'],
    outputCaps: ['max_tokens', 'max_gen_len', 'inferenceConfig.maxTokens', 'textGenerationConfig.maxTokenCount'],
  },
];

/**
 * Environment variables named after a provider's key: the provider's name (glued to `API` or not), then
 * `KEY`, `TOKEN` or `SECRET` among the words after it: `OPENAI_API_KEY`, `OPENAIAPI_KEY_VALUE`,
 * `ANTHROPIC_SECRET_KEY`, `FAL_KEY`, also behind a prefix (`NEXT_PUBLIC_`, `AZURE_`). A regular-expression
 * source, for the index.
 */
export function keyEnvSource(): string {
  return `(?:\\b|_)(?:${keyEnvNames().join('|')})${KEY_WORDS}\\b`;
}

const KEY_WORDS = '(?:_?API)?(?:_[A-Z0-9]+)*?_(?:KEY|TOKEN|SECRET)(?:_[A-Z0-9]+)*';

function keyEnvNames(): string[] {
  return PROVIDER_HOSTS.flatMap((p) => p.keyEnv ?? []).sort((a, b) => b.length - a.length);
}

let keyEnvPattern: RegExp | undefined;

/** The provider whose key an environment variable holds (`OPENAI_API_KEY` → OpenAI's host entry). */
export function keyEnvProvider(name: string): ProviderHost | undefined {
  keyEnvPattern ??= new RegExp(`^((?:[A-Z0-9]+_)*?)(${keyEnvNames().join('|')})${KEY_WORDS}$`);
  const match = keyEnvPattern.exec(name);
  if (!match) return undefined;
  // The longest declared name ending where the provider's name ends: `AZURE_OPENAI_API_KEY` is Azure's.
  const stem = match[1] + match[2];
  const owners = PROVIDER_HOSTS.flatMap((host) => (host.keyEnv ?? []).filter((env) => stem === env || stem.endsWith('_' + env)).map((env) => ({ host, env })));
  return owners.sort((a, b) => b.env.length - a.env.length)[0]?.host;
}

/** Ollama's default port: a model served by the developer, not a metered API. */
const LOCAL_MODEL_PORTS = new Set(['11434']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]', 'host.docker.internal']);

/** The host name of a URL's static text (`{}` stands for a part that is not static), lower-case. */
export function hostOf(url: string): { host: string; port?: string } | undefined {
  const match = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]+)/i.exec(url.trim());
  if (!match) return undefined;
  const authority = match[1].replace(/^.*@/, '').toLowerCase();
  const port = /:(\d+)$/.exec(authority)?.[1];
  return { host: port ? authority.slice(0, -port.length - 1) : authority, port };
}

/** The path of a URL's static text: `/api/v9/interactions` of `https://discord.com/api/v9/interactions?x=1`. */
function pathOf(url: string): string {
  return /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*([^?#]*)/i.exec(url.trim())?.[1] ?? '';
}

/** The paid provider a URL points at, if any. */
export function providerHost(url: string): ProviderHost | undefined {
  const parsed = hostOf(url);
  if (!parsed) return undefined;
  return PROVIDER_HOSTS.find((p) => p.hosts.some((h) => hostMatches(parsed.host, h)) && (!p.path || p.path.test(pathOf(url))));
}


const hostPatterns = new Map<string, RegExp>();

function hostMatches(host: string, declared: string): boolean {
  if (!declared.includes('*')) return host === declared || host.endsWith('.' + declared);
  let pattern = hostPatterns.get(declared);
  if (!pattern) hostPatterns.set(declared, (pattern = new RegExp(`^${declared.split('*').map(escapeRegExp).join('[^/]*')}$`)));
  return pattern.test(host);
}

/**
 * A declared host as it may appear in source text: a URL literal or a template whose region or resource is
 * an interpolation (`https://bedrock-runtime.${region}.amazonaws.com`). A regular-expression source.
 */
export function hostTextSource(declared: string): string {
  return declared.replace(/^\*/, '').split('*').map(escapeRegExp).join('[\\w.${}-]*');
}

/** A model served on the developer's own machine or network (Ollama, LM Studio, vLLM on localhost). */
export function isLocalModelUrl(url: string): boolean {
  const parsed = hostOf(url);
  if (!parsed) return false;
  return LOCAL_HOSTS.has(parsed.host) || (parsed.port !== undefined && LOCAL_MODEL_PORTS.has(parsed.port));
}

/**
 * The static text of a URL expression: literal, template with substitutions elided as `{}`, concatenation, a
 * const. A configurable base with a default (`config.baseUrl || OPENAI_BASE_URL`) reads as the default, a base
 * tidied with `.trim()` or `.replace(/\/$/, '')` as the base, and a project function that hands its argument
 * back (`withGateway(url)`) as that argument.
 */
export function urlText(argument: ts.Expression | undefined, resolver: Resolver, depth = 0): string | undefined {
  if (!argument || depth > 8) return undefined;
  const e = unwrap(argument);
  if (ts.isTemplateExpression(e)) {
    const part = (expression: ts.Expression) => urlText(expression, resolver, depth + 1) ?? '{}';
    return e.head.text + e.templateSpans.map((span) => part(span.expression) + span.literal.text).join('');
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    return eitherUrl(urlText(e.left, resolver, depth + 1), urlText(e.right, resolver, depth + 1));
  }
  if (ts.isConditionalExpression(e)) return eitherUrl(urlText(e.whenTrue, resolver, depth + 1), urlText(e.whenFalse, resolver, depth + 1));
  if (ts.isCallExpression(e)) {
    const tidied = tidiedString(e);
    if (tidied) return urlText(tidied, resolver, depth + 1);
    const passed = passedBack(e, resolver);
    if (passed) return urlText(passed, resolver, depth + 1);
  }
  // A variable's initializer is read as a URL expression itself, before resolution reduces it to one value.
  const declaration = ts.isIdentifier(e) ? resolver.declarationOf(e) : undefined;
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isIdentifier(declaration.name)) {
    const initial = urlText(declaration.initializer, resolver, depth + 1);
    if (initial !== undefined) return initial;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return (urlText(e.left, resolver, depth + 1) ?? '{}') + (urlText(e.right, resolver, depth + 1) ?? '{}');
  }
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL') {
    return (urlText(e.arguments?.[1], resolver, depth + 1) ?? '') + (urlText(e.arguments?.[0], resolver, depth + 1) ?? '');
  }
  const constant = constantString(e, resolver);
  if (constant !== undefined) return constant;
  const written = fieldValue(e) ?? defaultValue(e, resolver);
  if (written) return urlText(written, resolver, depth + 1);
  const resolved = resolver.resolve(e);
  if (resolved?.root.kind === 'local' && resolved.segments.length === 0 && resolved.root.node !== e && ts.isExpression(resolved.root.node)) {
    return urlText(resolved.root.node as ts.Expression, resolver, depth + 1);
  }
  return undefined;
}

/** `this.baseURL`: the class field's initializer, or what the constructor assigns it. */
function fieldValue(e: ts.Expression): ts.Expression | undefined {
  if (!ts.isPropertyAccessExpression(e) || e.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  let owner: ts.Node | undefined = e.parent;
  while (owner && !ts.isClassLike(owner)) owner = owner.parent;
  const field = owner?.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && m.name.getText() === e.name.text);
  return field && (field.initializer ?? constructorAssignment(field));
}

/**
 * A parameter's default (`constructor({ baseURL = 'https://api.openai.com' } = {})`): the code is written to
 * reach that host when the caller names none, which is as far as the URL can be read.
 */
function defaultValue(e: ts.Expression, resolver: Resolver): ts.Expression | undefined {
  const declaration = ts.isIdentifier(e) ? resolver.declarationOf(e) : undefined;
  return declaration && (ts.isParameter(declaration) || ts.isBindingElement(declaration)) ? declaration.initializer : undefined;
}

/** String methods that tidy a URL without changing where it points: `.trim()`, `.replace(/\/$/, '')`. */
const TIDYING_METHODS = new Set(['trim', 'trimEnd', 'trimStart', 'replace', 'replaceAll', 'toLowerCase', 'toString']);

/** The string a tidying method is called on: a pattern replaced away is not evaluated, so the host reads as written. */
function tidiedString(call: ts.CallExpression): ts.Expression | undefined {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) && TIDYING_METHODS.has(callee.name.text) ? callee.expression : undefined;
}

/** Of two URLs a request may go to, a paid provider's: the call costs money on that branch. */
function eitherUrl(first: string | undefined, second: string | undefined): string | undefined {
  if (second !== undefined && providerHost(second) && !(first !== undefined && providerHost(first))) return second;
  return first ?? second;
}

/** The argument a project function returns unchanged on some path (`return url;` for its parameter `url`). */
function passedBack(call: ts.CallExpression, resolver: Resolver): ts.Expression | undefined {
  const fn = resolver.resolveFunction(call.expression)?.fn;
  if (!fn) return undefined;
  for (const returned of returnExpressions(fn)) {
    const e = unwrap(returned);
    const declaration = ts.isIdentifier(e) ? resolver.declarationOf(e) : undefined;
    const index = declaration && ts.isParameter(declaration) && declaration.parent === fn ? fn.parameters.indexOf(declaration) : -1;
    if (index >= 0) return call.arguments[index];
  }
  return undefined;
}
