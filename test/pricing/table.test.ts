import { describe, expect, it } from 'vitest';

import { PRICE_TABLE, type ModelPrice, worstCaseRequestUsd } from '../../src/pricing/prices.js';

const entries: ModelPrice[] = PRICE_TABLE.flatMap((p) => p.models);

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

describe('price table', () => {
  it('covers the model vendors and the hosts of open models', () => {
    expect(PRICE_TABLE.map((p) => p.id).sort()).toEqual(['amazon-bedrock', 'anthropic', 'deepseek', 'fireworks', 'google', 'groq', 'mistral', 'openai', 'together', 'workers-ai']);
  });

  it.each(entries.map((e) => [`${e.provider}/${e.id}`, e] as const))('%s has an https source and an ISO date', (_, entry) => {
    const url = new URL(entry.source);
    expect(url.protocol).toBe('https:');
    expect(entry.source).toBe(PRICE_TABLE.find((p) => p.id === entry.provider)?.pricingPage);
    expect(isIsoDate(entry.date)).toBe(true);
  });

  it('has plausible numbers in every entry', () => {
    for (const e of entries) {
      expect(e.inputPerMTok, e.id).toBeGreaterThanOrEqual(0);
      expect(e.outputPerMTok, e.id).toBeGreaterThanOrEqual(0);
      if (e.contextWindow !== null) expect(Number.isInteger(e.contextWindow) && e.contextWindow > 0, e.id).toBe(true);
      if (e.maxOutputTokens !== null) expect(Number.isInteger(e.maxOutputTokens) && e.maxOutputTokens >= 0, e.id).toBe(true);
      if (e.contextWindow !== null && e.maxOutputTokens !== null) expect(e.maxOutputTokens, e.id).toBeLessThanOrEqual(e.contextWindow);
      if (e.longContext) {
        expect(e.longContext.inputPerMTok, e.id).toBeGreaterThan(e.inputPerMTok);
        expect(e.longContext.aboveInputTokens, e.id).toBeLessThan(e.contextWindow ?? 0);
      }
      expect(worstCaseRequestUsd(e, 1), e.id).toBeGreaterThan(0);
    }
  });

  it('keys every model once per list, and once among the lists that apply to every provider, in lower case', () => {
    const keysOf = (models: ModelPrice[]) => models.flatMap((e) => [e.id, ...(e.aliases ?? [])]);
    for (const provider of PRICE_TABLE) {
      const keys = keysOf(provider.models);
      expect(new Set(keys).size, provider.id).toBe(keys.length);
      for (const key of keys) expect(key).toBe(key.toLowerCase());
    }
    // A host's list applies only to calls that go to it: gpt-oss may be priced by Groq, Together and Fireworks alike.
    const shared = keysOf(PRICE_TABLE.filter((p) => !p.hostsOpenModels).flatMap((p) => p.models));
    expect(new Set(shared).size).toBe(shared.length);
  });

  it('lists the models reports most often meet', () => {
    const ids = new Set(entries.map((e) => e.id));
    const expected = [
      'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4-turbo', 'gpt-4', 'gpt-3.5-turbo',
      'o1', 'o1-mini', 'o3', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'text-embedding-3-small',
      'text-embedding-3-large', 'dall-e-3', 'gpt-image-1', 'whisper-1',
      'claude-3-haiku', 'claude-3-5-haiku', 'claude-3-5-sonnet', 'claude-3-7-sonnet', 'claude-sonnet-4', 'claude-opus-4',
      'claude-opus-4-1',
      'gemini-1.5-flash', 'gemini-1.5-pro', 'gemini-2.0-flash', 'gemini-2.5-flash', 'gemini-2.5-pro',
      'mistral-large', 'mistral-small', 'codestral', 'mistral-medium', 'open-mistral-nemo',
    ];
    expect(expected.filter((id) => !ids.has(id))).toEqual([]);
  });

  it("names as each provider's most expensive the costliest request a client can still pick", () => {
    for (const provider of PRICE_TABLE) {
      const pickable = provider.models.filter((m) => !m.retired && !m.responsesApiOnly);
      const chosen = provider.models.find((m) => m.id === provider.mostExpensive);
      expect(chosen, provider.id).toBeDefined();
      expect(pickable, provider.id).toContain(chosen);
      const highest = Math.max(...pickable.map((m) => worstCaseRequestUsd(m)));
      expect(worstCaseRequestUsd(chosen!), provider.id).toBe(highest);
    }
  });
});
