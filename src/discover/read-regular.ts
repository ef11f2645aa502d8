/** Small reads outside the index: never following a link at the last component, never blocking on a special file. */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** The first `maxBytes` of a regular file and its full size; undefined when it is missing, a link or not a regular file. */
export function readRegularFile(file: string, maxBytes: number): { bytes: Buffer; size: number } | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined;
    const bytes = Buffer.alloc(Math.min(stats.size, maxBytes));
    const length = readSync(fd, bytes, 0, bytes.length, 0);
    return { bytes: bytes.subarray(0, length), size: stats.size };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
