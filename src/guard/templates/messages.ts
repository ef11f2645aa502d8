/**
 * The request bodies a paid chat route accepts, and what they may cost. One schema takes the shapes real clients
 * send: OpenAI chat (`content` a string or a list of parts), Anthropic (content blocks; the server, not the
 * client, sets `system`), AI SDK v5 UI messages (`parts`) and `{ prompt }`. Every text part of a message counts
 * toward its size limit; non-text parts (files, images, tool calls) have their own count and size limits.
 */
import type { z } from 'zod';
import type { ClientMessage, ClientPart, ClientRole, GuardInput, InputLimits } from './types.js';

/** Part types whose `text` is model input: OpenAI, Anthropic and AI SDK text, AI SDK reasoning. */
const TEXT_PART_TYPES = new Set(['text', 'reasoning', 'input_text']);
/** Part types the model reads as images or documents, priced per part rather than per byte. */
const MEDIA_PART_TYPES = new Set(['file', 'image', 'image_url', 'input_image', 'input_audio', 'document', 'input_file']);
/** AI SDK markers that carry nothing the model reads. */
const EMPTY_PART_TYPES = new Set(['step-start']);
/** Tokens a chat message adds around its text (role, separators). */
export const TOKENS_PER_MESSAGE = 4;

/** Most parts in one message's `content` or `parts`; their text and size count toward the other limits too. */
export const MAX_PARTS_PER_MESSAGE = 100;
export const SERVER_SETS_SYSTEM = 'the system prompt is set by the server';

/** The roles a client may use: the configured ones, never `system` or `developer`. */
export function clientRoles(roles: readonly ClientRole[]): [ClientRole, ...ClientRole[]] {
  const allowed = roles.filter((role) => role === 'user' || role === 'assistant' || role === 'tool');
  return allowed.length > 0 ? (allowed as [ClientRole, ...ClientRole[]]) : ['user'];
}

/** A body with exactly one of `messages` and `prompt`. */
export function oneInput(body: { messages?: unknown; prompt?: unknown }): boolean {
  return (body.messages === undefined) !== (body.prompt === undefined);
}

/** The validated body as the route sees it: a `{ prompt }` is also one user message. */
export function toGuardInput(body: { messages?: ClientMessage[]; prompt?: string }): GuardInput {
  if (body.prompt !== undefined) return { prompt: body.prompt, messages: [{ role: 'user', content: body.prompt }] };
  return { messages: (body.messages ?? []).map(keepTextOnly) };
}

/** The limits a schema cannot say: text bytes per message over all its parts, and the non-text parts. */
export function checkSizes(input: GuardInput, limits: InputLimits, context: z.RefinementCtx): void {
  let nonText = 0;
  input.messages.forEach((message, index) => {
    const parts = partsOf(message);
    const textBytes = textOf(message).reduce((sum, text) => sum + utf8Length(text), 0);
    if (textBytes > limits.maxMessageChars) {
      context.addIssue({ code: 'custom', path: ['messages', index], message: `more than ${limits.maxMessageChars} bytes of text` });
    }
    const others = parts.filter(isNonText);
    if (textBytes === 0 && others.length === 0) context.addIssue({ code: 'custom', path: ['messages', index], message: 'empty message' });
    for (const part of others) {
      if (utf8Length(JSON.stringify(part)) > limits.maxNonTextPartBytes) {
        context.addIssue({ code: 'custom', path: ['messages', index], message: `a ${part.type} part larger than ${limits.maxNonTextPartBytes} bytes` });
      }
    }
    nonText += others.length;
  });
  if (nonText > limits.maxNonTextParts) context.addIssue({ code: 'custom', path: ['messages'], message: `more than ${limits.maxNonTextParts} non-text parts` });
}

/** A text part keeps its type and text only: no provider options or other fields ride along to the model. */
function keepTextOnly(message: ClientMessage): ClientMessage {
  const clean = (parts: ClientPart[]) => parts.map((part) => (isText(part) ? { type: part.type, text: part.text } : part));
  const kept: ClientMessage = { role: message.role };
  if (message.id !== undefined) kept.id = message.id;
  if (message.content !== undefined) kept.content = typeof message.content === 'string' ? message.content : clean(message.content);
  if (message.parts !== undefined) kept.parts = clean(message.parts);
  return kept;
}

function isText(part: ClientPart): part is ClientPart & { text: string } {
  return TEXT_PART_TYPES.has(part.type) && typeof part.text === 'string';
}

function isNonText(part: ClientPart): boolean {
  return !isText(part) && !EMPTY_PART_TYPES.has(part.type);
}

function partsOf(message: ClientMessage): ClientPart[] {
  return [...(Array.isArray(message.content) ? message.content : []), ...(message.parts ?? [])];
}

/**
 * The input as plain chat messages, `{ role, content: string }`, which every chat API takes: each user and assistant
 * message with its text parts joined, without its images, files or tool parts. For those, hand `input.messages` to
 * your SDK's converter (the AI SDK's `convertToModelMessages`) instead.
 */
export function chatMessages(input: GuardInput): { role: 'user' | 'assistant'; content: string }[] {
  return input.messages.flatMap((message) => {
    const content = textOf(message).join('\n');
    return (message.role === 'user' || message.role === 'assistant') && content ? [{ role: message.role, content }] : [];
  });
}

/** Every text a message carries: its string content and each text part, in `content` and in `parts`. */
export function textOf(message: ClientMessage): string[] {
  const texts = partsOf(message).filter(isText).map((part) => part.text);
  return typeof message.content === 'string' ? [message.content, ...texts] : texts;
}

/**
 * The most input tokens a message can be: one per UTF-8 byte of its text (a byte-level BPE token covers at least
 * one byte), its non-text parts at their JSON size (tool calls and results are text to the model) or at
 * `mediaPartTokens` for images and files, and the tokens around a message.
 */
export function messageTokenBound(message: ClientMessage, mediaPartTokens: number): number {
  const text = textOf(message).reduce((sum, part) => sum + utf8Length(part), 0);
  const others = partsOf(message)
    .filter(isNonText)
    .reduce((sum, part) => sum + (MEDIA_PART_TYPES.has(part.type) ? mediaPartTokens : utf8Length(JSON.stringify(part))), 0);
  return text + others + TOKENS_PER_MESSAGE;
}

/** The length of a string in UTF-8 bytes, without Buffer (the guard also runs on edge runtimes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
