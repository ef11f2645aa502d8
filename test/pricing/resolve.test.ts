import { describe, expect, it } from 'vitest';

import { normaliseModelId, providerPrices, resolveModel } from '../../src/pricing/prices.js';

const resolved = (model: string, provider?: string) => resolveModel(model, provider)?.id;

describe('resolveModel: dated and suffixed ids', () => {
  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-2024-11-20', 'gpt-4o'],
    ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4.1-2025-04-14', 'gpt-4.1'],
    ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['gpt-4.1-nano', 'gpt-4.1-nano'],
    ['gpt-4-turbo-2024-04-09', 'gpt-4-turbo'],
    ['gpt-4-turbo-preview', 'gpt-4-turbo'],
    ['gpt-4-0613', 'gpt-4'],
    ['gpt-4-32k-0613', 'gpt-4-32k'],
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['o1-2024-12-17', 'o1'],
    ['o1-mini-2024-09-12', 'o1-mini'],
    ['o1-pro-2025-03-19', 'o1-pro'],
    ['o3-2025-04-16', 'o3'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['o4-mini-2025-04-16', 'o4-mini'],
    ['gpt-5-2025-08-07', 'gpt-5'],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini'],
    ['gpt-5-chat-latest', 'gpt-5-chat'],
    ['gpt-5.1-codex', 'gpt-5.1'],
    ['gpt-5.5', 'gpt-5.5'],
    ['text-embedding-3-small', 'text-embedding-3-small'],
    ['dall-e-3', 'dall-e-3'],
    ['claude-3-haiku-20240307', 'claude-3-haiku'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-5-sonnet-20240620', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['models/gemini-1.5-pro', 'gemini-1.5-pro'],
    ['gemini-1.5-pro-002', 'gemini-1.5-pro'],
    ['gemini-1.5-flash-8b', 'gemini-1.5-flash'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['gemini-2.0-flash-lite', 'gemini-2.0-flash-lite'],
    ['gemini-2.5-flash-preview-05-20', 'gemini-2.5-flash'],
    ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite'],
    ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['gemini-3.1-pro-preview', 'gemini-3.1-pro'],
    ['mistral-large-2411', 'mistral-large-2411'],
    ['mistral-large-2512', 'mistral-large'],
    ['mistral-medium-2505', 'mistral-medium-2505'],
    ['mistral-small-2603', 'mistral-small'],
    ['codestral-2501', 'codestral'],
    ['open-mistral-nemo-2407', 'open-mistral-nemo'],
  ])('%s is %s', (model, entry) => {
    expect(resolved(model)).toBe(entry);
  });
});

describe('resolveModel: aliases', () => {
  it.each([
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['claude-3-opus-latest', 'claude-3-opus'],
    ['claude-sonnet-4-0', 'claude-sonnet-4'],
    ['claude-opus-4-0', 'claude-opus-4'],
    ['gpt-4-1106-preview', 'gpt-4-turbo'],
    ['gpt-4-0125-preview', 'gpt-4-turbo'],
    ['gemini-1.5-flash-latest', 'gemini-1.5-flash'],
    ['gemini-flash-latest', 'gemini-2.5-flash'],
    ['gemini-flash-lite-latest', 'gemini-2.5-flash-lite'],
    ['mistral-large-latest', 'mistral-large'],
    ['mistral-large-2407', 'mistral-large-2411'],
    ['mistral-medium-latest', 'mistral-medium'],
    ['mistral-small-latest', 'mistral-small'],
    ['mistral-small-2503', 'mistral-small-2506'],
    ['codestral-latest', 'codestral'],
    ['mistral-nemo', 'open-mistral-nemo'],
  ])('%s is %s', (model, entry) => {
    expect(resolved(model)).toBe(entry);
  });
});

describe('resolveModel: ids as written by gateways, clouds and fine-tunes', () => {
  it.each([
    ['openai/gpt-4o', 'gpt-4o'],
    ['anthropic/claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['GPT-4o-Mini', 'gpt-4o-mini'],
    ['  gpt-4o  ', 'gpt-4o'],
    ['ft:gpt-4o-mini-2024-07-18:acme::9xYz', 'gpt-4o-mini'],
    ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'claude-3-5-sonnet'],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
    ['mistral.mistral-large-2407-v1:0', 'mistral-large-2411'],
    ['claude-opus-4@20250514', 'claude-opus-4'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    ['projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash-001', 'gemini-2.0-flash'],
  ])('%s is %s', (model, entry) => {
    expect(resolved(model)).toBe(entry);
  });

  it('normalises without touching the dots of version numbers', () => {
    expect(normaliseModelId('models/Gemini-2.5-Pro')).toBe('gemini-2.5-pro');
    expect(normaliseModelId('us.anthropic.claude-opus-4-1-20250805-v1:0')).toBe('claude-opus-4-1-20250805-v1:0');
    expect(normaliseModelId('gpt-4.1')).toBe('gpt-4.1');
  });
});

describe('resolveModel: no false prefix', () => {
  it('does not read a longer model name as a shorter family', () => {
    expect(resolved('gpt-4o-mini')).not.toBe('gpt-4o');
    expect(resolved('gpt-4o')).toBe('gpt-4o');
    expect(resolved('gpt-4.1')).toBe('gpt-4.1');
    expect(resolved('gpt-5.2')).toBe('gpt-5.2');
    expect(resolved('o1-mini')).toBe('o1-mini');
    expect(resolved('claude-opus-4-5-20251101')).toBe('claude-opus-4-5');
    expect(resolved('claude-sonnet-4-6')).toBe('claude-sonnet-4-6');
  });

  it('matches a family only at a separator', () => {
    expect(resolved('gpt-4.5-preview')).toBeUndefined();
    expect(resolved('gpt-4oo')).toBeUndefined();
    expect(resolved('o10')).toBeUndefined();
    expect(resolved('claude-3')).toBeUndefined();
    expect(resolved('gemini-2.5')).toBeUndefined();
    expect(resolved('codestralx')).toBeUndefined();
  });

  it('knows nothing of models outside the table', () => {
    expect(resolved('llama-3.3-70b-versatile')).toBeUndefined();
    expect(resolved('')).toBeUndefined();
    expect(resolved('models/')).toBeUndefined();
  });
});

describe('providers', () => {
  it('maps the provider names the scanner reports onto the price lists', () => {
    expect(providerPrices('openai')?.id).toBe('openai');
    expect(providerPrices('azure-openai')?.id).toBe('openai');
    expect(providerPrices('Anthropic')?.id).toBe('anthropic');
    expect(providerPrices('google')?.id).toBe('google');
    expect(providerPrices('vertex')?.id).toBe('google');
    expect(providerPrices('mistral')?.id).toBe('mistral');
    expect(providerPrices('groq')?.id).toBe('groq');
    expect(providerPrices('together')?.id).toBe('together');
    // Bedrock bills Claude at Anthropic's prices: its own list does not stand for every Bedrock call.
    expect(providerPrices('bedrock')).toBeUndefined();
    expect(providerPrices('perplexity')).toBeUndefined();
    expect(providerPrices('workers-ai')?.id).toBe('workers-ai');
    expect(providerPrices('vercel-ai')).toBeUndefined();
  });

  it('finds a model under another vendor when the client speaks its API', () => {
    expect(resolveModel('mistral-large-latest', 'openai')?.provider).toBe('mistral');
    expect(resolveModel('gemini-2.5-flash', 'vercel-ai')?.provider).toBe('google');
    expect(resolveModel('gpt-4o', 'azure-openai')?.provider).toBe('openai');
  });
});
