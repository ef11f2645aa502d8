import { describe, expect, it } from 'vitest';

import { lineHashes, primaryLocationLineHash, stableFingerprint } from '../../src/findings/fingerprint.js';

/**
 * A direct transcription of GitHub's upload-time hashing (github/codeql-action `src/fingerprints.ts`)
 * using BigInt for the 64-bit `Long` arithmetic: slow but obviously equivalent, used as an oracle.
 */
function referenceHashes(input: string): string[] {
  const BLOCK = 100;
  const MOD = 37n;
  let firstMod = 1n;
  for (let i = 0; i < BLOCK; i++) firstMod = BigInt.asIntN(64, firstMod * MOD);
  const window = new Array<number>(BLOCK).fill(0);
  const lineNumbers = new Array<number>(BLOCK).fill(-1);
  let hash = 0n;
  let index = 0;
  let lineNumber = 0;
  let lineStart = true;
  let prevCR = false;
  const counts: Record<string, number> = {};
  const out: string[] = [];
  const outputHash = () => {
    const value = BigInt.asUintN(64, hash).toString(16);
    counts[value] = (counts[value] ?? 0) + 1;
    out[lineNumbers[index]! - 1] = `${value}:${counts[value]}`;
    lineNumbers[index] = -1;
  };
  const updateHash = (current: number) => {
    const begin = window[index]!;
    window[index] = current;
    hash = BigInt.asIntN(64, MOD * hash + BigInt(current) - firstMod * BigInt(begin));
    index = (index + 1) % BLOCK;
  };
  for (let i = 0; i <= input.length; i++) {
    let current = i === input.length ? 65535 : input.charCodeAt(i);
    if (current === 32 || current === 9 || (prevCR && current === 10)) {
      prevCR = false;
      continue;
    }
    if (current === 13) {
      current = 10;
      prevCR = true;
    } else {
      prevCR = false;
    }
    if (lineNumbers[index] !== -1) outputHash();
    if (lineStart) {
      lineStart = false;
      lineNumber++;
      lineNumbers[index] = lineNumber;
    }
    if (current === 10) lineStart = true;
    updateHash(current);
  }
  for (let i = 0; i < BLOCK; i++) {
    if (lineNumbers[index] !== -1) outputHash();
    updateHash(0);
  }
  return out;
}

/** Deterministic pseudo-random source text (xorshift), heavy on whitespace and line breaks. */
function randomText(seed: number, length: number): string {
  const alphabet = ['a', 'Z', '0', '(', ')', '{', '}', ';', ' ', ' ', '\t', '\n', '\n', '\r', '\r\n', 'é', '😀', '\uffff'];
  let state = seed || 1;
  let text = '';
  while (text.length < length) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    text += alphabet[(state >>> 0) % alphabet.length];
  }
  return text;
}

describe('primaryLocationLineHash (GitHub upload algorithm)', () => {
  // Expected values are the ones github/codeql-action's own unit tests assert.
  it('matches the upstream test vectors', () => {
    expect(lineHashes('')).toEqual(['c129715d7a2bc9a3:1']);
    expect(lineHashes(' a\nb\n  \t\tc\n d')).toEqual([
      '271789c17abda88f:1',
      '54703d4cd895b18:1',
      '180aee12dab6264:1',
      'a23a3dc5e078b07b:1',
    ]);
    expect(lineHashes(' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End')).toEqual([
      '8b7cf3e952e7aeb2:1',
      'b1ae1287ec4718d9:1',
      'bff680108adb0fcc:1',
      'c6805c5e1288b612:1',
      'b86d3392aea1be30:1',
      'e6ceba753e1a442:1',
    ]);
    const withTrailingNewline = [
      'e9496ae3ebfced30:1',
      'fb7c023a8b9ccb3f:1',
      'ce8ba1a563dcdaca:1',
      'e20e36e16fcb0cc8:1',
      'b3edc88f2938467e:1',
      'c8e28b0b4002a3a0:1',
      'c129715d7a2bc9a3:1',
    ];
    expect(lineHashes(' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n')).toEqual(withTrailingNewline);
    expect(lineHashes(' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r')).toEqual(withTrailingNewline);
    expect(lineHashes(' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n')).toEqual(withTrailingNewline);
    expect(lineHashes(' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n')).toEqual(withTrailingNewline);
  });

  it('numbers identical lines by occurrence', () => {
    const hashes = lineHashes('Lorem ipsum dolor sit amet.\n'.repeat(10));
    expect(hashes).toEqual([
      'a7f2ff13bc495cf2:1',
      'a7f2ff13bc495cf2:2',
      'a7f2ff13bc495cf2:3',
      'a7f2ff13bc495cf2:4',
      'a7f2ff13bc495cf2:5',
      'a7f2ff13bc495cf2:6',
      'a7f2ff1481e87703:1',
      'a9cf91f7bbf1862b:1',
      '55ec222b86bcae53:1',
      'cc97dc7b1d7d8f7b:1',
      'c129715d7a2bc9a3:1',
    ]);
    const text = 'Lorem ipsum dolor sit amet.\n'.repeat(10);
    expect(primaryLocationLineHash(text, 1)).toBe('a7f2ff13bc495cf2:1');
    expect(primaryLocationLineHash(text, 4)).toBe('a7f2ff13bc495cf2:4');
  });

  it('gives identical code at two places different suffixes', () => {
    // More than 100 non-blank characters, so the hash window lies within the line itself.
    const call =
      "const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages: body.messages, max_tokens: 512 });";
    const text = ['export async function a(body) {', call, '}', 'export async function b(body) {', call, '}', ''].join('\n');
    const first = primaryLocationLineHash(text, 2);
    const second = primaryLocationLineHash(text, 5);
    const [firstHex, firstCount] = first.split(':');
    const [secondHex, secondCount] = second.split(':');
    expect(firstHex).toBe(secondHex);
    expect(firstCount).toBe('1');
    expect(secondCount).toBe('2');
  });

  it('ignores spaces, tabs and line-ending style', () => {
    const code = [
      'export async function POST(req: Request) {',
      '  const body = await req.json();',
      '  return Response.json(await openai.chat.completions.create(body));',
      '}',
      '',
    ];
    const lf = code.join('\n');
    const reindented = code.map((l) => l.replace(/^ {2}/, '\t\t').replace(/ /g, '  ')).join('\n');
    const crlf = code.join('\r\n');
    const cr = code.join('\r');
    for (let line = 1; line <= 5; line++) {
      const expected = primaryLocationLineHash(lf, line);
      expect(primaryLocationLineHash(reindented, line)).toBe(expected);
      expect(primaryLocationLineHash(crlf, line)).toBe(expected);
      expect(primaryLocationLineHash(cr, line)).toBe(expected);
    }
  });

  it('survives unrelated code inserted far above', () => {
    const tail = 'export async function POST(req: Request) {\n  return handle(req);\n}\n';
    const head = `// ${'x'.repeat(150)}\nimport { handle } from './handle.js';\n`;
    expect(primaryLocationLineHash(head + tail, 3)).toBe(primaryLocationLineHash(tail, 1));
  });

  it('changes when the code on the line changes', () => {
    const a = 'const a = 1;\nconst b = 2;\n';
    const b = 'const a = 3;\nconst b = 2;\n';
    expect(primaryLocationLineHash(a, 1)).not.toBe(primaryLocationLineHash(b, 1));
  });

  it('agrees with a BigInt transcription on random text, long lines and astral characters', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const text = randomText(seed * 7919, 50 + seed * 37);
      expect(lineHashes(text)).toEqual(referenceHashes(text));
    }
    const longLines = Array.from({ length: 30 }, (_, i) => `${String(i).repeat(i * 9)} ${'é😀'.repeat(i)}`).join('\n');
    expect(lineHashes(longLines)).toEqual(referenceHashes(longLines));
  });

  it('hashes one line per line break, plus the last line', () => {
    expect(lineHashes('a\nb')).toHaveLength(2);
    expect(lineHashes('a\nb\n')).toHaveLength(3);
    expect(lineHashes('a\r\nb\r\n')).toHaveLength(3);
    expect(lineHashes('\n\n\n')).toHaveLength(4);
  });

  it('rejects lines outside the file', () => {
    expect(() => primaryLocationLineHash('a\nb', 0)).toThrow(RangeError);
    expect(() => primaryLocationLineHash('a\nb', 3)).toThrow(RangeError);
    expect(() => primaryLocationLineHash('a\nb', 1.5)).toThrow(RangeError);
  });

  it('is consistent across alternating files (memo keyed on content)', () => {
    const one = 'alpha();\nbeta();\n';
    const two = 'gamma();\ndelta();\n';
    const expectedOne = lineHashes(one)[1];
    const expectedTwo = lineHashes(two)[1];
    expect(primaryLocationLineHash(one, 2)).toBe(expectedOne);
    expect(primaryLocationLineHash(two, 2)).toBe(expectedTwo);
    expect(primaryLocationLineHash(one, 2)).toBe(expectedOne);
  });
});

describe('stableFingerprint', () => {
  it('is 32 lowercase hex characters and deterministic', () => {
    const value = stableFingerprint(['no-auth', 'POST /api/chat (app/api/chat/route.ts)', 'app/api/chat/route.ts']);
    expect(value).toMatch(/^[0-9a-f]{32}$/);
    expect(stableFingerprint(['no-auth', 'POST /api/chat (app/api/chat/route.ts)', 'app/api/chat/route.ts'])).toBe(value);
  });

  it('depends on every part, their order and their boundaries', () => {
    const base = stableFingerprint(['a', 'b', 'c']);
    expect(stableFingerprint(['a', 'b', 'd'])).not.toBe(base);
    expect(stableFingerprint(['c', 'b', 'a'])).not.toBe(base);
    expect(stableFingerprint(['ab', 'c'])).not.toBe(stableFingerprint(['a', 'bc']));
    expect(stableFingerprint(['a\u0000b'])).not.toBe(stableFingerprint(['a', 'b']));
    expect(stableFingerprint([])).not.toBe(stableFingerprint(['']));
  });
});
