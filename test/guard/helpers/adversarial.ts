/** Text that tokenizes badly: scripts of several bytes a character, combining marks, random code points. */
/** A deterministic generator, so a failure reproduces. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export function textFrom(pick: () => number, ranges: readonly [number, number][], length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    const [low, high] = ranges[Math.floor(pick() * ranges.length)];
    text += String.fromCodePoint(low + Math.floor(pick() * (high - low)));
  }
  return text;
}

export const ADVERSARIAL: Record<string, readonly [number, number][]> = {
  hangul: [[0xac00, 0xd7a3]],
  cjk: [[0x4e00, 0x9fff]],
  emoji: [[0x1f300, 0x1f6ff]],
  'combining marks': [[0x61, 0x7a], [0x300, 0x36f]],
  'random code points': [[0x20, 0xd7ff], [0xe000, 0xfffd], [0x10000, 0x10ffff]],
  'ascii symbols': [[0x21, 0x2f]],
};


/** Characters from `ranges` up to `maxBytes` of UTF-8: 1,000 emoji, 1,333 Hangul syllables, 4,000 ASCII symbols. */
export function textWithinBytes(pick: () => number, ranges: readonly [number, number][], maxBytes: number): string {
  let text = '';
  let bytes = 0;
  for (;;) {
    const [low, high] = ranges[Math.floor(pick() * ranges.length)];
    const character = String.fromCodePoint(low + Math.floor(pick() * (high - low)));
    bytes += Buffer.byteLength(character);
    if (bytes > maxBytes) return text;
    text += character;
  }
}
