/**
 * The project's `.gitignore` files, as git reads them: each one's patterns are relative to its folder, a deeper
 * file overrides a shallower one, and the files between the repository's top level and the scanned root apply
 * too. Matched with `ignore`, the gitignore matcher ESLint and globby use.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readRegularFile } from './read-regular.js';

/** A `.gitignore` larger than this is not read: real ones are a few kilobytes. */
const MAX_GITIGNORE_BYTES = 256 * 1024;

interface GitignoreFile {
  matcher: Ignore;
  /** The path from the `.gitignore`'s folder to the scanned root ('' when they are the same), with a trailing `/`. */
  toRoot: string;
  /** The folder it belongs to, relative to the scanned root ('' for the root); undefined above the root. */
  folder?: string;
}

/** The `.gitignore` files in effect at one folder, outermost first. */
export type GitignoreStack = readonly GitignoreFile[];

/** The `.gitignore` files of the root's ancestors up to the repository's top level (none when it is in no repository). */
export function ancestorGitignores(root: string): GitignoreStack {
  const found: GitignoreFile[] = [];
  let toRoot = '';
  for (let dir = path.dirname(root), child = root; dir !== child; child = dir, dir = path.dirname(dir)) {
    toRoot = `${path.basename(child)}/${toRoot}`;
    const matcher = readGitignore(path.join(dir, '.gitignore'));
    if (matcher) found.unshift({ matcher, toRoot });
    if (existsSync(path.join(dir, '.git'))) return found;
  }
  return [];
}

/** The stack for a folder (relative to the root) that holds a `.gitignore`: its own patterns added last. */
export function withGitignore(stack: GitignoreStack, folder: string, file: string): GitignoreStack {
  const matcher = readGitignore(file);
  return matcher ? [...stack, { matcher, toRoot: '', folder }] : stack;
}

/** Whether a path relative to the root is ignored; the last `.gitignore` with a verdict on it decides. */
export function isGitignored(stack: GitignoreStack, relative: string, isFolder: boolean): boolean {
  let ignored = false;
  for (const file of stack) {
    const local = file.folder === undefined ? file.toRoot + relative : file.folder === '' ? relative : relative.slice(file.folder.length + 1);
    const verdict = file.matcher.test(isFolder ? `${local}/` : local);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** A `.gitignore`'s patterns; undefined when it is missing, not a regular file (never follows a link), or too large. */
function readGitignore(file: string): Ignore | undefined {
  const read = readRegularFile(file, MAX_GITIGNORE_BYTES);
  return read === undefined || read.size > MAX_GITIGNORE_BYTES ? undefined : ignore().add(read.bytes.toString('utf8'));
}
