/**
 * Stage 2, index: reading source files defensively (never through a link, never past the size limit, never
 * outside the root). `build-index.ts` marks what each file can matter for.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { ScanError } from '../model.js';
import type { ProjectLayout } from './discover.js';
import { isWithin, type RootGuard } from './root-guard.js';
import { MAX_FILE_BYTES } from './file-limits.js';

export { MAX_FILE_BYTES } from './file-limits.js';

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
export function readSource(file: string, relative: string, guard: RootGuard, errors: ScanError[]): string | undefined {
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
    const decoded = decode(buffer);
    if (decoded.kind === 'binary') return skip('binary', 'skipped: binary content');
    if (decoded.kind === 'replaced') {
      errors.push({ file: relative, kind: 'encoding', message: 'not valid UTF-8: invalid bytes were read as U+FFFD and the rest analysed' });
    }
    if (looksMinified(decoded.text)) return skip('minified', 'skipped: minified or generated code (very long lines)');
    return decoded.text;
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

type Decoded = { kind: 'text' | 'replaced'; text: string } | { kind: 'binary' };

/** UTF-8 (the norm), UTF-16 with a byte order mark (as TypeScript reads it), or binary. */
export function decode(buffer: Buffer): Decoded {
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { kind: 'text', text: buffer.subarray(2).toString('utf16le') };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) {
    const swapped = Buffer.from(buffer.subarray(2, buffer.length - (buffer.length % 2)));
    return { kind: 'text', text: swapped.swap16().toString('utf16le') };
  }
  if (buffer.subarray(0, 8000).includes(0)) return { kind: 'binary' };
  return { kind: isUtf8(buffer) ? 'text' : 'replaced', text: buffer.toString('utf8') };
}

const MINIFIED_MIN_LENGTH = 4096;
const MINIFIED_AVERAGE_LINE = 300;

/** Minified bundles have few, very long lines; hand-written code averages well under 100 characters a line. */
export function looksMinified(text: string): boolean {
  if (text.length < MINIFIED_MIN_LENGTH) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    lines++;
    if (text.length / lines <= MINIFIED_AVERAGE_LINE) return false;
  }
  return true;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
