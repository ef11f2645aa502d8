/**
 * Stage 2, index: reading source files defensively (never through a link, never past the size limit, never
 * outside the root). `build-index.ts` marks what each file can matter for.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { ScanError } from '../model.js';
import type { ProjectLayout } from '../discover/discover.js';
import { isWithin, type RootGuard } from '../discover/root-guard.js';
import { MAX_FILE_BYTES } from '../discover/file-limits.js';

export { MAX_FILE_BYTES } from '../discover/file-limits.js';

export interface IndexedFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the scanned root, POSIX separators. */
  relative: string;
  text: string;
  /** Mentions an AI SDK, an AI provider's host, or a model id. */
  mentionsAi: boolean;
  /** Registers or exports HTTP handlers: a web framework import, or a route file by convention. */
  mentionsRoutes: boolean;
  /** Decoded as UTF-16 (it starts with that byte order mark): its text is not what a UTF-8 read gives. */
  utf16?: true;
}

export interface SourceIndex {
  root: string;
  files: Map<string, IndexedFile>;
  /** Discovered files that were not indexed (unreadable, too large, binary...): never read again. */
  skipped: Set<string>;
  errors: ScanError[];
  /** The folders discovery listed and the compiler configs in them, when the index comes from a discovery. */
  layout?: ProjectLayout;
}

/**
 * Reads one discovered file, defensively: it may have been replaced by a link, a FIFO or a huge file since
 * discovery, or deleted. Never follows a link at the last component, never blocks on a special file, never
 * reads more than the size limit, and reads only inside the root's real path.
 */
export function readSource(file: string, relative: string, guard: RootGuard, errors: ScanError[], decoded?: { utf16?: boolean }): string | undefined {
  const skip = (kind: ScanError['kind'], message: string): undefined => {
    errors.push({ file: relative, kind, message });
    return undefined;
  };
  const directory = guard.realDirectory(path.dirname(file));
  if (directory === undefined) return skip('unreadable', 'cannot read: its folder no longer exists');
  if (!isWithin(guard.realRoot, directory)) return skip('symlink', 'skipped: its folder resolves outside the scanned root');
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return skip('symlink', 'symbolic link not followed');
    if (code === 'ENOENT') return skip('unreadable', 'cannot read: the file was deleted during the scan (ENOENT)');
    return skip('unreadable', `cannot read: ${code ?? String(error)}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return skip('unreadable', 'skipped: not a regular file');
    if (stats.size > MAX_FILE_BYTES) {
      return skip('too-large', `skipped: ${stats.size} bytes is over the ${MAX_FILE_BYTES}-byte limit`);
    }
    const buffer = readBounded(fd, stats.size);
    if (buffer === undefined) return skip('too-large', `skipped: it grew over the ${MAX_FILE_BYTES}-byte limit while being read`);
    const content = decode(buffer);
    if (content.kind === 'binary') return skip('binary', 'skipped: binary content');
    if (content.kind === 'replaced') {
      errors.push({ file: relative, kind: 'encoding', message: 'not valid UTF-8: invalid bytes were read as U+FFFD and the rest analyzed' });
    }
    if (looksMinified(content.text)) return skip('minified', 'skipped: minified or generated code (very long lines)');
    if (decoded && content.kind === 'utf16') decoded.utf16 = true;
    return content.text;
  } catch (error) {
    return skip('unreadable', `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The file's bytes, or undefined when there are more than the limit (it may have grown since its stat). The
 * bytes are in a buffer reused by the next read: decode them before reading another file.
 */
function readBounded(fd: number, expectedSize: number): Buffer | undefined {
  let buffer = reusableBuffer(Math.min(expectedSize, MAX_FILE_BYTES) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > MAX_FILE_BYTES) return undefined;
      const bigger = reusableBuffer(Math.min(length * 2, MAX_FILE_BYTES + 1), buffer.subarray(0, length));
      buffer = bigger;
    }
    const wanted = buffer.length - length;
    const n = readSync(fd, buffer, length, wanted, null);
    length += n;
    // A regular file read short has reached its end: no second call just to see it return 0.
    if (n < wanted) break;
  }
  return length > MAX_FILE_BYTES ? undefined : buffer.subarray(0, length);
}

let readBuffer = Buffer.allocUnsafe(64 * 1024);

/** The shared read buffer, grown to at least `size` bytes (keeping `keep` at its start). */
function reusableBuffer(size: number, keep?: Buffer): Buffer {
  if (readBuffer.length < size) {
    const bigger = Buffer.allocUnsafe(Math.max(size, readBuffer.length * 2));
    keep?.copy(bigger);
    readBuffer = bigger;
  }
  return readBuffer.subarray(0, size);
}

type Decoded = { kind: 'text' | 'replaced' | 'utf16'; text: string } | { kind: 'binary' };

/** UTF-8 (the norm), UTF-16 with a byte order mark (as TypeScript reads it), or binary. */
export function decode(buffer: Buffer): Decoded {
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { kind: 'utf16', text: buffer.subarray(2).toString('utf16le') };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) {
    const swapped = Buffer.from(buffer.subarray(2, buffer.length - (buffer.length % 2)));
    return { kind: 'utf16', text: swapped.swap16().toString('utf16le') };
  }
  if (buffer.subarray(0, 8000).includes(0)) return { kind: 'binary' };
  return { kind: isUtf8(buffer) ? 'text' : 'replaced', text: buffer.toString('utf8') };
}

const MINIFIED_MIN_LENGTH = 4096;
const MINIFIED_AVERAGE_LINE = 300;

/**
 * Minified bundles have few, very long lines of code; hand-written code averages well under 100 characters a
 * line. The text of string and template literals does not count: a route whose one long line is a prompt is
 * hand-written code.
 */
export function looksMinified(text: string): boolean {
  if (text.length < MINIFIED_MIN_LENGTH) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    lines++;
    if (text.length / lines <= MINIFIED_AVERAGE_LINE) return false;
  }
  return (text.length - literalTextLength(text)) / lines > MINIFIED_AVERAGE_LINE;
}

/**
 * How many characters of a JavaScript text are inside string and template literals, from a one-pass lexer
 * (comments and regular expressions are stepped over, `${...}` in templates is code). An estimate for
 * `looksMinified`, run only on texts with very long lines.
 */
export function literalTextLength(text: string): number {
  let literal = 0;
  let braces = 0;
  let previous = '';
  const openTemplates: number[] = []; // the brace depth at which each template's `${` was opened
  const templateFrom = (start: number): number => {
    const span = templateSpan(text, start);
    literal += span.end - start;
    if (span.opensExpression) openTemplates.push(braces);
    return span.end;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') i = endOfLine(text, i);
    else if (c === '/' && text[i + 1] === '*') i = endOf(text, '*/', i + 2);
    else if (c === '"' || c === "'") {
      const end = stringEnd(text, i + 1, c);
      literal += end - i;
      i = end;
    } else if (c === '`') i = templateFrom(i);
    else if (c === '}' && openTemplates.length > 0 && openTemplates[openTemplates.length - 1] === braces) {
      openTemplates.pop();
      i = templateFrom(i);
    } else if (c === '/' && REGEX_MAY_FOLLOW.test(previous)) i = regexEnd(text, i + 1);
    else {
      if (c === '{') braces++;
      else if (c === '}') braces--;
      i++;
    }
    if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') previous = c;
  }
  return literal;
}

/** After these, or at the start, `/` opens a regular expression rather than a division. */
const REGEX_MAY_FOLLOW = /^$|[(,=:[!&|?{};+\-*%<>~^]/;

function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

function endOf(text: string, closing: string, from: number): number {
  const end = text.indexOf(closing, from);
  return end === -1 ? text.length : end + closing.length;
}

/** Past the closing quote, or at the end of the line of an unterminated string. */
function stringEnd(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === quote) return i + 1;
    else if (c === '\n') return i;
  }
  return text.length;
}

/** From a template's opening backtick or the `}` closing one of its expressions: past the next `` ` `` or `${`. */
function templateSpan(text: string, from: number): { end: number; opensExpression: boolean } {
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '`') return { end: i + 1, opensExpression: false };
    else if (c === '$' && text[i + 1] === '{') return { end: i + 2, opensExpression: true };
  }
  return { end: text.length, opensExpression: false };
}

/** Past a regular expression's closing slash (a `/` inside a character class does not close it). */
function regexEnd(text: string, from: number): number {
  let inClass = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
    else if (c === '\n') return i;
  }
  return text.length;
}

