/**
 * Fingerprints for findings.
 *
 * `primaryLocationLineHash` reproduces, bit for bit, the value GitHub's code scanning upload
 * (`github/codeql-action`, `src/fingerprints.ts`) stores in `partialFingerprints.primaryLocationLineHash`
 * when a SARIF result lacks one. Emitting the same value ourselves keeps alerts matched across uploads
 * whether or not the upload step recomputes it, and avoids the upload's "inconsistent fingerprint" warning.
 *
 * The algorithm, as GitHub implements it:
 * - Spaces and tabs are dropped; `\r\n`, `\r` and `\n` all become `\n`.
 * - A polynomial rolling hash (base 37, wrapping signed 64-bit arithmetic) runs over a window of the
 *   last 100 kept characters. Each line's hash is the hash of the 100 kept characters that start at the
 *   line's first kept character (so it spans into the following lines). The end of input is marked with
 *   the code unit 65535 and padded with zeros.
 * - The hash is printed as unsigned hexadecimal, then `:N` where N counts how many lines so far, this one
 *   included, produced the same hex value. Identical code in two places therefore gets `…:1` and `…:2`.
 *
 * `stableFingerprint` is our own identity for a finding; callers build it from parts that do not move
 * when unrelated lines are added above the code (rule, endpoint, file, the code text itself).
 */

import { createHash } from 'node:crypto';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
/** End-of-input marker fed to the hash after the last character. */
const EOF = 65535;
const BLOCK_SIZE = 100;
const MOD = 37;

const TWO_32 = 0x1_0000_0000;

/** MOD^BLOCK_SIZE modulo 2^64, split into 32-bit halves. */
const FIRST_MOD = (() => {
  const value = BigInt(MOD) ** BigInt(BLOCK_SIZE) & 0xffff_ffff_ffff_ffffn;
  return { hi: Number(value >> 32n), lo: Number(value & 0xffff_ffffn) };
})();

/**
 * A 64-bit unsigned accumulator kept as two 32-bit halves in plain numbers. Every intermediate product
 * stays below 2^53, so the arithmetic is exact and wraps exactly like the 64-bit `Long` GitHub uses
 * (two's complement wrap-around is the same modulo 2^64 whether the value is read signed or unsigned).
 */
class RollingHash {
  private hi = 0;
  private lo = 0;

  /**
   * hash = hash * MOD + current - FIRST_MOD * dropped  (mod 2^64). `x >>> 0` is x modulo 2^32 for any integer
   * below 2^53, negative ones included, which every product here is.
   */
  update(current: number, dropped: number): void {
    // hash * MOD + current
    const lowProduct = this.lo * MOD + current;
    let lo = lowProduct >>> 0;
    let hi = (this.hi * MOD + (lowProduct - lo) / TWO_32) >>> 0;

    // - FIRST_MOD * dropped
    if (dropped !== 0) {
      const subLowProduct = FIRST_MOD.lo * dropped;
      const subLo = subLowProduct >>> 0;
      const subHi = FIRST_MOD.hi * dropped + (subLowProduct - subLo) / TWO_32;
      const borrow = lo < subLo ? 1 : 0;
      lo = (lo - subLo) >>> 0;
      hi = (hi - subHi - borrow) >>> 0;
    }

    this.hi = hi;
    this.lo = lo;
  }

  /** Unsigned hexadecimal without leading zeros, as `Long#toUnsigned().toString(16)` prints it. */
  hex(): string {
    if (this.hi === 0) return this.lo.toString(16);
    return this.hi.toString(16) + this.lo.toString(16).padStart(8, '0');
  }
}

/**
 * Every line's `primaryLocationLineHash` for a file, in line order: element 0 is line 1.
 *
 * `fileText` must be the file's content as read from disk (decoded as UTF-8, byte-order mark kept),
 * since that is what GitHub hashes. Lines are split at `\r\n`, `\r` and `\n`; a trailing newline
 * yields a final empty line, which has a hash too.
 */
export function lineHashes(fileText: string): string[] {
  const window = new Uint16Array(BLOCK_SIZE);
  // For each window slot: the 1-based line that starts at the character in that slot, or -1.
  const lineStarts = new Int32Array(BLOCK_SIZE).fill(-1);
  const hash = new RollingHash();
  const counts = new Map<string, number>();
  const hashes: string[] = [];

  let index = 0;
  let lineNumber = 0;
  let atLineStart = true;
  let previousWasCR = false;

  const output = (): void => {
    const value = hash.hex();
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    hashes[lineStarts[index]! - 1] = `${value}:${count}`;
    lineStarts[index] = -1;
  };

  const push = (current: number): void => {
    const dropped = window[index]!;
    window[index] = current;
    hash.update(current, dropped);
    index = index === BLOCK_SIZE - 1 ? 0 : index + 1;
  };

  for (let i = 0, length = fileText.length; i <= length; i++) {
    let current = i === length ? EOF : fileText.charCodeAt(i);
    // Spaces and tabs never count; neither does the `\n` of a `\r\n` pair.
    if (current === SPACE || current === TAB || (previousWasCR && current === LF)) {
      previousWasCR = false;
      continue;
    }
    if (current === CR) {
      current = LF;
      previousWasCR = true;
    } else {
      previousWasCR = false;
    }
    // The slot about to be overwritten opened a line 100 characters ago: that line's hash is ready.
    if (lineStarts[index] !== -1) output();
    if (atLineStart) {
      atLineStart = false;
      lineNumber++;
      lineStarts[index] = lineNumber;
    }
    if (current === LF) atLineStart = true;
    push(current);
  }

  // Pad with zeros until every remaining line has a full window.
  for (let i = 0; i < BLOCK_SIZE; i++) {
    if (lineStarts[index] !== -1) output();
    push(0);
  }

  return hashes;
}

let cachedText: string | undefined;
let cachedHashes: string[] = [];

/**
 * GitHub's `primaryLocationLineHash` for 1-based `line` of a file: `<hex>:<occurrence>`.
 * Throws a RangeError when the file has no such line.
 *
 * The hash depends on every earlier line (for the occurrence counter), so the whole file is hashed;
 * the result for the most recent file is kept, making repeated calls for one file cheap. Prefer
 * `lineHashes` when hashing many lines of many files.
 */
export function primaryLocationLineHash(fileText: string, line: number): string {
  if (cachedText !== fileText) {
    cachedHashes = lineHashes(fileText);
    cachedText = fileText;
  }
  const value = Number.isInteger(line) && line >= 1 ? cachedHashes[line - 1] : undefined;
  if (value === undefined) {
    throw new RangeError(`line ${line} is outside the file (1..${cachedHashes.length})`);
  }
  return value;
}

/**
 * Our own fingerprint: SHA-256 over the parts, as 32 lowercase hex characters (128 bits).
 * The parts are length-delimited before hashing, so `['ab', 'c']` and `['a', 'bc']` differ.
 */
export function stableFingerprint(parts: string[]): string {
  // One update with the parts joined hashes the same bytes as one update per piece, faster.
  const text = parts.map((part) => `${part.length}:${part}\u0000`).join('');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
