/** The guard's pure parts: client address, cost arithmetic, usage shapes and the sliding window. */
import { describe, expect, it } from 'vitest';
import { chatMessages, costMicros, estimateMicros, forwardedClient, limiterAddress, slidingCount, tokenUsage, utcDay } from '../../src/guard/templates/core.js';
import { TEST_MODEL } from './helpers/apps.js';

describe('client address', () => {
  it('takes the entry the nearest trusted proxies appended, not what the client wrote on the left', () => {
    expect(forwardedClient('6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(forwardedClient('6.6.6.6, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    expect(forwardedClient(['6.6.6.6', '203.0.113.7'], 1)).toBe('203.0.113.7');
    expect(forwardedClient('203.0.113.7', 2)).toBe('203.0.113.7');
    expect(forwardedClient(undefined, 1)).toBeUndefined();
    expect(forwardedClient('203.0.113.7', 0)).toBeUndefined();
  });

  it('limits IPv6 clients by their /64 network', () => {
    expect(limiterAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(limiterAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(limiterAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limiterAddress('2001:0DB8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(limiterAddress('2001:db8::7')).toBe('2001:db8:0:0::/64');
    expect(limiterAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(limiterAddress('::1')).toBe('0:0:0:0::/64');
  });
});

describe('spend arithmetic', () => {
  it('reserves one token per UTF-8 byte plus the whole output cap', () => {
    expect(estimateMicros(TEST_MODEL, [{ role: 'user', content: 'x'.repeat(300) }])).toBe(304 * 10 + 100 * 30);
    expect(estimateMicros(TEST_MODEL, [{ role: 'user', content: 'x'.repeat(300) }], 50)).toBe(354 * 10 + 100 * 30);
    // Hangul is three bytes a character, an emoji four.
    expect(estimateMicros(TEST_MODEL, [{ role: 'user', content: '한😀' }])).toBe((3 + 4 + 4) * 10 + 100 * 30);
    expect(costMicros({ ...TEST_MODEL, inputUsdPerMillionTokens: 0.15, outputUsdPerMillionTokens: 0.6 }, 1001, 1)).toBe(151);
  });

  it('reserves every text part of every shape, media parts at their configured figure and tool parts at their size', () => {
    const text = (content: string) => ({ type: 'text', text: content });
    const openAiParts = { role: 'user' as const, content: [text('x'.repeat(100)), { type: 'image_url', image_url: { url: 'https://e.x/a.png' } }] };
    expect(estimateMicros(TEST_MODEL, [openAiParts], 0, 1000)).toBe((100 + 1000 + 4) * 10 + 100 * 30);
    const tool = { type: 'tool-search', toolCallId: 't1', state: 'output-available', output: 'y'.repeat(50) };
    const uiMessage = { role: 'assistant' as const, content: 'a', parts: [{ type: 'step-start' }, text('bb'), { type: 'reasoning', text: 'ccc' }, tool] };
    expect(estimateMicros(TEST_MODEL, [uiMessage], 0, 1000)).toBe((1 + 2 + 3 + Buffer.byteLength(JSON.stringify(tool)) + 4) * 10 + 100 * 30);
  });

  it('gives every shape as plain chat messages: text parts joined, other parts and empty messages left out', () => {
    const input = {
      messages: [
        { role: 'user' as const, content: [{ type: 'text', text: 'What is' }, { type: 'image_url', image_url: { url: 'u' } }, { type: 'text', text: 'this?' }] },
        { role: 'assistant' as const, parts: [{ type: 'step-start' }, { type: 'reasoning', text: 'Looks like' }, { type: 'text', text: 'A cat.' }] },
        { role: 'user' as const, parts: [{ type: 'file', mediaType: 'image/png', url: 'u' }] },
        { role: 'tool' as const, content: 'result' },
        { role: 'user' as const, content: 'Thanks' },
      ],
    };
    expect(chatMessages(input)).toEqual([
      { role: 'user', content: 'What is\nthis?' },
      { role: 'assistant', content: 'Looks like\nA cat.' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('reads token usage in the OpenAI, Anthropic and AI SDK shapes', () => {
    expect(tokenUsage({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 })).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(tokenUsage({ input_tokens: 3, output_tokens: 4 })).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(tokenUsage({ inputTokens: 3, outputTokens: 4, totalTokens: 7 })).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(tokenUsage({ id: 'msg', usage: { input_tokens: 3, output_tokens: 4 } })).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(tokenUsage(undefined)).toBeUndefined();
    expect(tokenUsage({ prompt_tokens: '3' })).toBeUndefined();
  });

  it('counts days in UTC', () => {
    expect(utcDay(Date.parse('2030-03-01T23:59:59-05:00'))).toBe('2030-03-02');
  });
});

describe('sliding window', () => {
  it('weights the previous window by the part of it still inside the span', () => {
    expect(slidingCount(2, 10, 60_000, 60_000)).toBe(12);
    expect(slidingCount(2, 10, 75_000, 60_000)).toBe(9.5);
    expect(slidingCount(0, 10, 119_999, 60_000)).toBeCloseTo(0, 2);
  });
});
