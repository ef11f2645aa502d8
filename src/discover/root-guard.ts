/**
 * The boundary of a scan: nothing outside the scanned root is ever read, and nothing under a dependency folder.
 * A path is inside when its real path (symbolic links resolved) is inside the root's real path, so a link or a
 * folder swapped for a link cannot lead a read out of the tree.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';

export class RootGuard {
  readonly root: string;
  readonly realRoot: string;
  private readonly realDirectories = new Map<string, string | undefined>();

  constructor(root: string) {
    this.root = path.resolve(root);
    this.realRoot = realPath(this.root) ?? this.root;
  }

  /** Lexically inside the root and not under node_modules (no file system access). */
  lexicallyInside(file: string): boolean {
    const resolved = path.resolve(file);
    return isWithin(this.root, resolved) && !hasDependencySegment(this.root, resolved);
  }

  /** Inside the root once every symbolic link on the way is resolved (the folder's real path is cached). */
  reallyInside(file: string): boolean {
    if (!this.lexicallyInside(file)) return false;
    const resolved = path.resolve(file);
    // The root itself (its real path was taken when the guard was made): an alias such as `@/*` → `./*`
    // resolves `@/lib` to a folder right under it, which module resolution checks by asking about the root.
    if (resolved === this.root) return true;
    const realDirectory = this.realDirectory(path.dirname(resolved));
    if (realDirectory === undefined || !isWithin(this.realRoot, realDirectory)) return false;
    // The last component may itself be a link: resolve it only when it exists.
    const real = realPath(resolved);
    return real === undefined || (isWithin(this.realRoot, real) && !hasDependencySegment(this.realRoot, real));
  }

  /** The real path of a folder inside the root, or undefined when it does not exist. */
  realDirectory(directory: string): string | undefined {
    if (this.realDirectories.has(directory)) return this.realDirectories.get(directory);
    const real = realPath(directory);
    this.realDirectories.set(directory, real);
    return real;
  }
}

export function isWithin(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

function hasDependencySegment(root: string, file: string): boolean {
  return path.relative(root, file).split(path.sep).includes('node_modules');
}

function realPath(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}
