/**
 * Everything the tool prints or writes goes through here.
 *
 * Printing: stdout and stderr text passes through `safeOutput`, so nothing from the scanned tree can drive the
 * terminal or the CI log (see src/report/safe-text.ts).
 *
 * Writing files: a scanned repository can commit a symbolic link where a report is written (e.g.
 * `ai-endpoint-audit.sarif` pointing at a file elsewhere). Output files are never opened through a link: the
 * target is checked with `lstat`, refused when it is a link (unless it leads to a stream such as /dev/stdout), and a
 * regular file is replaced by writing a temporary file in the same folder (created exclusively, so a planted link
 * there fails too) and renaming it over the target.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, lstatSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { safeOutput, safeOutputPieces, type SafeOutputOptions } from './safe-text.js';

export function printOut(text: string, options: SafeOutputOptions = {}): void {
  process.stdout.write(safeOutput(text, options));
}

/** Prints a report given in pieces (see safeOutputPieces), never joined into one string. */
export function printPiecesOut(pieces: Iterable<string>, options: SafeOutputOptions = {}): void {
  for (const batch of safeOutputPieces(pieces, options)) process.stdout.write(batch);
}

export function printErr(text: string): void {
  process.stderr.write(safeOutput(text));
}

/** A file the tool refuses to write, or could not. */
export class OutputFileError extends Error {}

/** Writes `content` (text, or pieces of it) to `file` without following a symbolic link at `file`. */
export function writeFileNoFollow(file: string, content: string | Iterable<string>): void {
  const existing = lstatOrUndefined(file);
  if (existing?.isSymbolicLink()) {
    // /dev/stdout and process substitution (/dev/fd/63) are links to a stream: written to, nothing replaced.
    if (!isStream(file)) {
      throw new OutputFileError(`refusing to write ${file}: it is a symbolic link, which could point anywhere; remove it or choose another file`);
    }
    writeToSpecialFile(file, content, true);
    return;
  }
  if (existing && !existing.isFile()) {
    writeToSpecialFile(file, content, false); // A device or pipe such as /dev/null: written in place, never replaced.
    return;
  }
  replaceAtomically(file, content);
}

/** Throws unless every folder from `base` down to `dir` (those that exist) is a real folder, not a link. */
export function assertNoLinkedFolders(base: string, dir: string): void {
  const relative = path.relative(base, dir);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return;
  let current = base;
  for (const part of relative.split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    if (lstatOrUndefined(current)?.isSymbolicLink()) {
      throw new OutputFileError(`refusing to write into ${current}: it is a symbolic link, which could point anywhere`);
    }
  }
}

function replaceAtomically(file: string, content: string | Iterable<string>): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
    try {
      writeAll(fd, content);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new OutputFileError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

function isStream(file: string): boolean {
  try {
    const target = statSync(file);
    return target.isCharacterDevice() || target.isFIFO() || target.isSocket();
  } catch {
    return false;
  }
}

function writeToSpecialFile(file: string, content: string | Iterable<string>, throughLink: boolean): void {
  try {
    const fd = openSync(file, constants.O_WRONLY | (throughLink ? 0 : (constants.O_NOFOLLOW ?? 0)));
    try {
      writeAll(fd, content);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new OutputFileError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

function writeAll(fd: number, content: string | Iterable<string>): void {
  for (const piece of typeof content === 'string' ? [content] : content) writeSync(fd, piece);
}

function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
