import path from 'node:path';

/** A path with the platform's separators turned to `/`, as reports and globs spell it. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
