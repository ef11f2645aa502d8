/**
 * The spend reservation must be an upper bound on the real cost, whatever the text: counted with a real
 * tokenizer (gpt-4o's o200k_base and cl100k_base), adversarial input never has more tokens than the guard
 * reserves for it.
 */
import { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { describe, expect, it } from 'vitest';
import { estimateMicros, utf8Length } from '../../src/guard/templates/core.js';
import { ADVERSARIAL, random, textFrom } from './helpers/adversarial.js';

/** One micro-dollar per input token and no output: the reservation in micro-dollars is the input tokens reserved. */
const PER_TOKEN = { id: 'test', maxOutputTokens: 0, inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 0 };

describe('the reservation is an upper bound on input tokens', () => {
  for (const [name, ranges] of Object.entries(ADVERSARIAL)) {
    it(`for ${name}`, () => {
      const pick = random(name.length * 7919);
      for (const length of [1, 17, 500, 4000]) {
        const text = textFrom(pick, ranges, length);
        const reserved = estimateMicros(PER_TOKEN, [{ role: 'user', content: text }]);
        expect(encodeO200k(text).length, `${name} × ${length}, o200k`).toBeLessThanOrEqual(reserved);
        expect(encodeCl100k(text).length, `${name} × ${length}, cl100k`).toBeLessThanOrEqual(reserved);
      }
    });
  }

  it('counts UTF-8 bytes as Node does', () => {
    const text = textFrom(random(42), ADVERSARIAL['random code points'], 2000);
    expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });
});
