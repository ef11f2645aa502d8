import { describe, expect, it } from 'vitest';

import { attackerAssumptions, estimateDailyExposure, formatUsd, PriceUnknownError, tokensFromCharacters } from '../../src/pricing/estimate.js';
import { requestsPerDayFromWindow } from '../../src/pricing/rates.js';

describe('estimateDailyExposure: worked examples', () => {
  it('prices an unprotected gpt-4o route at the model limits and the assumed attack rate', () => {
    // gpt-4o: $2.50 in / $10 out per 1M tokens, 128,000-token context, 16,384 output tokens at most.
    // Output 16,384 × $10 / 1M = $0.16384. Input 128,000 − 16,384 = 111,616 × $2.50 / 1M = $0.27904.
    // One request $0.44288; 20 requests/s × 86,400 s = 1,728,000 requests; 0.44288 × 1,728,000 = $765,296.64.
    const e = estimateDailyExposure({ provider: 'openai', model: 'gpt-4o-2024-08-06', modelChosenByClient: false });
    expect(e.model).toBe('gpt-4o');
    expect(e.modelBasis).toBe('given');
    expect(e.inputTokens).toBe(111_616);
    expect(e.outputTokens).toBe(16_384);
    expect(e.requestsPerDay).toBe(1_728_000);
    expect(e.usdPerRequest).toBeCloseTo(0.44288, 10);
    expect(e.usdPerDay).toBeCloseTo(765_296.64, 6);
    expect(formatUsd(e.usdPerDay)).toBe('~$770,000');
    expect(e.priceDate).toBe('2026-11-21');
    expect(e.assumptions).toEqual([
      'Model gpt-4o-2024-08-06 priced as gpt-4o.',
      'gpt-4o: $2.50 per 1M input tokens, $10.00 per 1M output tokens (list price checked 2026-11-21).',
      "Output: 16,384 tokens per request, the model's maximum (no output cap).",
      'Input: 111,616 tokens per request: the 128,000-token context window less the output (no input cap).',
      'Rate: no limit the client cannot get around: an assumed attack of 20 requests/s from one script (1,728,000/day).',
    ]);
  });

  it('multiplies a per-IP limit by the addresses an attacker controls', () => {
    // gpt-4o-mini: $0.15 in / $0.60 out. Caps 4,000 in, 1,000 out: 4,000 × 0.15 + 1,000 × 0.60 = 1,200 µ$ = $0.0012.
    // 10 per minute per IP = 14,400/day × 100 addresses = 1,440,000/day; × $0.0012 = $1,728.
    const e = estimateDailyExposure({
      provider: 'openai',
      model: 'gpt-4o-mini',
      modelChosenByClient: false,
      inputCapTokens: 4_000,
      outputCapTokens: 1_000,
      requestsPerDay: requestsPerDayFromWindow(10, 60_000),
      limiterKey: 'ip',
    });
    expect(e.requestsPerDay).toBe(1_440_000);
    expect(e.usdPerRequest).toBeCloseTo(0.0012, 12);
    expect(e.usdPerDay).toBeCloseTo(1_728, 8);
    expect(formatUsd(e.usdPerDay)).toBe('~$1,700');
    expect(e.assumptions.slice(-3)).toEqual([
      "Output: 1,000 tokens per request, the call's output cap.",
      "Input: 4,000 tokens per request, the route's input cap.",
      'Rate: 14,400/day per IP address, times the addresses an attacker controls (100, the default; set exposure.attackerIps) = 1,440,000/day.',
    ]);
  });

  it("assumes the provider's most expensive model when the client picks it", () => {
    // gpt-5.5: 1,050,000-token context, 128,000 output. Input 922,000 is above 272,000, so the whole request is
    // billed at $10 / $45: 922,000 × 10 / 1M = $9.22, 128,000 × 45 / 1M = $5.76, $14.98 a request.
    // × 1,728,000 = $25,885,440.
    const e = estimateDailyExposure({ provider: 'openai', model: 'gpt-4o-mini', modelChosenByClient: true });
    expect(e.model).toBe('gpt-5.5');
    expect(e.modelBasis).toBe('client-chosen');
    expect(e.inputTokens).toBe(922_000);
    expect(e.outputTokens).toBe(128_000);
    expect(e.usdPerRequest).toBeCloseTo(14.98, 10);
    expect(e.usdPerDay).toBeCloseTo(25_885_440, 4);
    expect(formatUsd(e.usdPerDay)).toBe('~$26,000,000');
    expect(e.assumptions[0]).toBe("The client chooses the model: any of openai's 27 listed models may serve the request.");
    expect(e.assumptions).toContain('Above 272,000 input tokens the whole request is billed at $10.00 / $45.00 per 1M tokens.');
  });

  it('does not multiply a global limit', () => {
    // claude-3-5-sonnet: $3 / $15, 200,000 context, 8,192 output. Input 191,808 × 3 = 575,424 µ$;
    // output 8,192 × 15 = 122,880 µ$; $0.698304 a request × 1,000 a day = $698.304.
    const e = estimateDailyExposure({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-latest',
      modelChosenByClient: false,
      requestsPerDay: 1_000,
      limiterKey: 'global',
    });
    expect(e.model).toBe('claude-3-5-sonnet');
    expect(e.inputTokens).toBe(191_808);
    expect(e.requestsPerDay).toBe(1_000);
    expect(e.usdPerDay).toBeCloseTo(698.304, 9);
    expect(formatUsd(e.usdPerDay)).toBe('~$700');
    expect(e.assumptions).toContain('Rate: 1,000/day shared by all callers.');
  });

  it('applies long-context rates to a Gemini prompt above 200K tokens', () => {
    // gemini-2.5-pro: 1,048,576 context, 65,536 output; input 983,040 > 200,000 so $2.50 / $15:
    // 983,040 × 2.5 = 2,457,600 µ$; 65,536 × 15 = 983,040 µ$; $3.44064 a request.
    const e = estimateDailyExposure({ provider: 'google', model: 'models/gemini-2.5-pro', modelChosenByClient: false, requestsPerDay: 50, limiterKey: 'global' });
    expect(e.inputTokens).toBe(983_040);
    expect(e.usdPerRequest).toBeCloseTo(3.44064, 10);
    expect(e.usdPerDay).toBeCloseTo(172.032, 9);
  });

  it('keeps the lower rate when the input cap stays under the long-context threshold', () => {
    // 100,000 × 1.25 + 1,000 × 10 = 135,000 µ$ = $0.135 a request.
    const e = estimateDailyExposure({ provider: 'google', model: 'gemini-2.5-pro', modelChosenByClient: false, inputCapTokens: 100_000, outputCapTokens: 1_000 });
    expect(e.usdPerRequest).toBeCloseTo(0.135, 12);
  });
});

describe('estimateDailyExposure: limiters', () => {
  const base = { provider: 'openai', model: 'gpt-4o', modelChosenByClient: false } as const;

  it('multiplies a per-user limit by the accounts the config says an attacker holds', () => {
    // 100 per hour = 2,400/day per user × 10 accounts = 24,000/day.
    const attackers = attackerAssumptions({ attackerAccounts: 10 });
    const e = estimateDailyExposure({ ...base, requestsPerDay: requestsPerDayFromWindow(100, 3_600_000), limiterKey: 'user', attackers });
    expect(e.requestsPerDay).toBe(24_000);
    expect(e.attackers.accounts).toEqual({ value: 10, source: 'config' });
    expect(e.rate).toBe('Rate: 2,400/day per user, times the accounts an attacker holds (10, exposure.attackerAccounts in the config) = 24,000/day.');
  });

  it('counts a per-user limit alone as no bound by default: with free sign-up, accounts are unbounded', () => {
    const e = estimateDailyExposure({ ...base, requestsPerDay: requestsPerDayFromWindow(100, 3_600_000), limiterKey: 'user' });
    expect(e.requestsPerDay).toBe(1_728_000);
    expect(e.attackers.accounts).toEqual({ value: 'unbounded', source: 'default' });
    expect(e.rate).toMatch(/^Rate: the limit allows 2,400\/day per user, and an attacker can open any number of accounts \(free sign-up assumed; set exposure.attackerAccounts when it is not\), more than .*; the attack rate is used\.$/);
  });

  it('multiplies a per-IP limit by the configured attacker addresses, and says where the figure came from', () => {
    // 10 per minute per IP = 14,400/day × 5 addresses = 72,000/day.
    const attackers = attackerAssumptions({ attackerIps: 5 });
    const e = estimateDailyExposure({ ...base, requestsPerDay: requestsPerDayFromWindow(10, 60_000), limiterKey: 'ip', attackers });
    expect(e.requestsPerDay).toBe(72_000);
    expect(e.attackers).toEqual({ ips: { value: 5, source: 'config' }, accounts: { value: 'unbounded', source: 'default' } });
    expect(e.rate).toBe('Rate: 14,400/day per IP address, times the addresses an attacker controls (5, exposure.attackerIps in the config) = 72,000/day.');
    expect(estimateDailyExposure({ ...base, requestsPerDay: requestsPerDayFromWindow(10, 60_000), limiterKey: 'ip' }).attackers.ips).toEqual({ value: 100, source: 'default' });
  });

  it('counts a limit on an untraced key as per client', () => {
    const e = estimateDailyExposure({ ...base, requestsPerDay: 1_000 });
    expect(e.requestsPerDay).toBe(100_000);
  });

  it('ignores a limiter keyed on a value the client sends', () => {
    const e = estimateDailyExposure({ ...base, requestsPerDay: 10, limiterKey: 'client' });
    expect(e.requestsPerDay).toBe(1_728_000);
    expect(e.rate).toMatch(/ A limiter keyed on a value the client sends counts as no limit: the client rotates it\.$/);
  });

  it('never goes above the assumed attack rate', () => {
    // 1,000 per second per IP × 100 addresses is far more than one script sends.
    const e = estimateDailyExposure({ ...base, requestsPerDay: requestsPerDayFromWindow(1_000, 1_000), limiterKey: 'ip' });
    expect(e.requestsPerDay).toBe(1_728_000);
    expect(e.assumptions.at(-1)).toMatch(/the attack rate is used\.$/);
  });

  it('takes the tightest of several limiters', () => {
    // Per IP 60/min × 100 = 8,640,000 (capped); global 5,000/day wins.
    const e = estimateDailyExposure({
      ...base,
      limits: [
        { requestsPerDay: requestsPerDayFromWindow(60, 60_000), key: 'ip' },
        { requestsPerDay: 5_000, key: 'global' },
        { requestsPerDay: 1, key: 'client' },
      ],
    });
    expect(e.requestsPerDay).toBe(5_000);
  });
});

describe('estimateDailyExposure: models', () => {
  it('clips caps to what the model accepts', () => {
    // gpt-4: 8,192 context and output; an output cap of 100,000 is 8,192, leaving no room for input.
    const e = estimateDailyExposure({ provider: 'openai', model: 'gpt-4-0613', modelChosenByClient: false, outputCapTokens: 100_000, inputCapTokens: 50_000 });
    expect(e.outputTokens).toBe(8_192);
    expect(e.inputTokens).toBe(0);
  });

  it("falls back to the provider's most expensive model for an unknown id", () => {
    const e = estimateDailyExposure({ provider: 'anthropic', model: 'claude-next', modelChosenByClient: false });
    expect(e.model).toBe('claude-opus-4-7');
    expect(e.modelBasis).toBe('unknown-model');
    expect(e.assumptions[0]).toBe("Model claude-next is not in the price table: any of anthropic's 12 listed models may serve the request.");
  });

  it('prices a model the code does not name at the most expensive', () => {
    const e = estimateDailyExposure({ provider: 'mistral', modelChosenByClient: false });
    expect(e.model).toBe('mistral-medium');
    expect(e.assumptions[0]).toBe("The model is not known from the code: any of mistral's 10 listed models may serve the request.");
  });

  it('finds the vendor from the model id when the provider is an SDK layer', () => {
    const e = estimateDailyExposure({ provider: 'vercel-ai', model: 'claude-3-haiku-20240307', modelChosenByClient: false });
    expect(e.provider).toBe('anthropic');
    expect(e.model).toBe('claude-3-haiku');
    const chosen = estimateDailyExposure({ provider: 'vercel-ai', model: 'gemini-2.0-flash', modelChosenByClient: true });
    expect(chosen.model).toBe('gemini-3.1-pro');
  });

  it("invents no price for a provider outside the table: another provider's model is not its price", () => {
    expect(() => estimateDailyExposure({ provider: 'perplexity', model: 'llama-3.3-70b-versatile', modelChosenByClient: false })).toThrow(PriceUnknownError);
    expect(() => estimateDailyExposure({ provider: 'openrouter', model: 'meta-llama/llama-3.3-70b-instruct', modelChosenByClient: false })).toThrow(PriceUnknownError);
  });

  it("prices an open model from the host's own list, a retired one at its last price", () => {
    const groq = estimateDailyExposure({ provider: 'groq', model: 'llama-3.3-70b-versatile', modelChosenByClient: false, requestsPerDay: 1, limiterKey: 'global' });
    expect([groq.provider, groq.model]).toEqual(['groq', 'llama-3.3-70b-versatile']);
    // 131,072 context less 32,768 output: 98,304 × $0.59 + 32,768 × $0.79 per 1M.
    expect(groq.usdPerRequest).toBeCloseTo((98_304 * 0.59 + 32_768 * 0.79) / 1e6, 10);
    const together = estimateDailyExposure({ provider: 'together', model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', modelChosenByClient: false });
    expect(together.model).toBe('meta-llama-3.1-8b-instruct-turbo');
  });

  it("gives a host's partial list no say over a model it lacks or the client picks: its costliest entry is not the ceiling", () => {
    expect(() => estimateDailyExposure({ provider: 'groq', model: 'openai/gpt-oss-20b', modelChosenByClient: true })).toThrow(PriceUnknownError);
    expect(() => estimateDailyExposure({ provider: 'together', model: 'Qwen/Qwen2.5-72B-Instruct-Turbo', modelChosenByClient: false })).toThrow(PriceUnknownError);
    expect(() => estimateDailyExposure({ provider: 'workers-ai', model: '@cf/qwen/qwq-32b', modelChosenByClient: false })).toThrow(PriceUnknownError);
  });

  it("prices Bedrock's own model ids, and a Bedrock call on an unknown model not at all", () => {
    const nova = estimateDailyExposure({ provider: 'bedrock', model: 'us.amazon.nova-pro-v1:0', modelChosenByClient: false, requestsPerDay: 1, limiterKey: 'global' });
    expect(nova.model).toBe('amazon.nova-pro');
    // 300,000 context less 10,000 output: 290,000 × $0.80 + 10,000 × $3.20 per 1M.
    expect(nova.usdPerRequest).toBeCloseTo(0.264, 10);
    expect(estimateDailyExposure({ provider: 'bedrock', model: 'anthropic.claude-3-5-sonnet-20240620-v1:0', modelChosenByClient: false }).provider).toBe('anthropic');
    expect(() => estimateDailyExposure({ provider: 'bedrock', model: 'cohere.command-r-plus-v1:0', modelChosenByClient: false })).toThrow(PriceUnknownError);
    expect(() => estimateDailyExposure({ provider: 'bedrock', model: 'amazon.nova-pro-v1:0', modelChosenByClient: true })).toThrow(PriceUnknownError);
  });

  it('prices an image model per image', () => {
    // dall-e-3: $0.12 an HD 1792x1024 image; 1,000 a day = $120.
    const e = estimateDailyExposure({ provider: 'openai', model: 'dall-e-3', modelChosenByClient: false, requestsPerDay: 1_000, limiterKey: 'global' });
    expect(e.usdPerRequest).toBeCloseTo(0.12, 12);
    expect(e.usdPerDay).toBeCloseTo(120, 9);
  });

  it('prices transcription per assumed minute of audio', () => {
    // whisper-1: 27 minutes × $0.006 = $0.162 a request.
    const e = estimateDailyExposure({ provider: 'openai', model: 'whisper-1', modelChosenByClient: false });
    expect(e.usdPerRequest).toBeCloseTo(0.162, 12);
  });

  it('prices embeddings on input alone', () => {
    // text-embedding-3-small: 8,191 tokens × $0.02 / 1M = $0.00016382.
    const e = estimateDailyExposure({ provider: 'openai', model: 'text-embedding-3-small', modelChosenByClient: false });
    expect(e.inputTokens).toBe(8_191);
    expect(e.outputTokens).toBe(0);
    expect(e.usdPerRequest).toBeCloseTo(0.00016382, 14);
  });
});

describe('tokensFromCharacters', () => {
  it('assumes one token per character of attacker-chosen text', () => {
    expect(tokensFromCharacters(4_000)).toBe(4_000);
  });
});

describe('formatUsd', () => {
  it.each([
    [47_123, '~$47,000'],
    [765_296.64, '~$770,000'],
    [25_885_440, '~$26,000,000'],
    [1_728, '~$1,700'],
    [995, '~$1,000'],
    [698.304, '~$700'],
    [100, '~$100'],
    [47.3, '~$47'],
    [4.434, '~$4.43'],
    [0.5, '~$0.50'],
    [0.0012, '<$0.01'],
    [0, '$0'],
    [Number.POSITIVE_INFINITY, 'unbounded'],
  ])('%d is %s', (n, text) => {
    expect(formatUsd(n)).toBe(text);
  });
});

describe('estimateDailyExposure: APIs billed by another unit than tokens', () => {
  it('prices only a model the table lists in that unit', () => {
    // whisper-1: $0.006 a minute, 27 minutes a request, 1,728,000 requests a day.
    const e = estimateDailyExposure({ provider: 'openai', model: 'whisper-1', modelChosenByClient: false, billedBy: 'audio' });
    expect(e.usdPerRequest).toBeCloseTo(0.162, 10);
    expect(estimateDailyExposure({ provider: 'openai', model: 'dall-e-3', modelChosenByClient: false, billedBy: 'images' }).usdPerRequest).toBe(0.12);
  });

  it('leaves the price unknown rather than pricing a chat model', () => {
    const unknown = (input: Parameters<typeof estimateDailyExposure>[0]) => () => estimateDailyExposure(input);
    // A provider the table does not cover, a model it does not list, and a model id that only starts like a chat model.
    expect(unknown({ provider: 'elevenlabs', model: 'eleven_v3', modelChosenByClient: false, billedBy: 'characters' })).toThrow(PriceUnknownError);
    expect(unknown({ provider: 'openai', model: 'tts-1-hd', modelChosenByClient: false, billedBy: 'characters' })).toThrow(PriceUnknownError);
    expect(unknown({ provider: 'openai', model: 'gpt-4o-mini-tts', modelChosenByClient: false, billedBy: 'characters' })).toThrow(PriceUnknownError);
    expect(unknown({ provider: 'openai', model: 'whisper-1', modelChosenByClient: true, billedBy: 'audio' })).toThrow(PriceUnknownError);
    expect(unknown({ provider: 'fal', modelChosenByClient: false, billedBy: 'media' })).toThrow(PriceUnknownError);
  });
});

describe('estimateDailyExposure: a fail-closed daily spend cap', () => {
  const base = { provider: 'openai', model: 'gpt-4o-mini', modelChosenByClient: false } as const;

  it('caps the day at the amount, and says so', () => {
    const e = estimateDailyExposure({ ...base, dailySpendCap: { usd: 8, where: 'src/guard.ts:16' } });
    expect(e.usdPerDay).toBe(8);
    expect(e.usdPerRequest * e.requestsPerDay).toBeGreaterThan(8);
    expect(e.dailySpendCap).toEqual({ usd: 8, where: 'src/guard.ts:16', applied: true });
    expect(e.assumptions.at(-1)).toBe('Capped at $8.00/day by the daily spend cap at src/guard.ts:16, which fails closed.');
  });

  it('counts a per-account cap only times the configured accounts, and not at all with free sign-up', () => {
    const perAccount = { usd: 0.5, where: 'src/server.ts:51', perAccount: true };
    const open = estimateDailyExposure({ ...base, dailySpendCap: perAccount });
    expect(open.dailySpendCap).toBeUndefined();
    expect(open.usdPerDay).toBeCloseTo(open.usdPerRequest * open.requestsPerDay, 6);
    expect(open.assumptions).toContain('The daily spend cap at src/server.ts:51 ($0.50) is per account and bounds nothing: an attacker can open any number of accounts.');
    const invited = estimateDailyExposure({ ...base, dailySpendCap: perAccount, attackers: attackerAssumptions({ attackerAccounts: 20 }) });
    expect(invited.usdPerDay).toBe(10);
    expect(invited.assumptions.at(-1)).toBe('Capped at $10.00/day by the daily spend cap at src/server.ts:51 ($0.50 per account × 20 accounts), which fails closed.');
  });

  it('leaves a figure below the cap as it is', () => {
    const e = estimateDailyExposure({ ...base, inputCapTokens: 100, outputCapTokens: 100, requestsPerDay: 10, limiterKey: 'global', dailySpendCap: { usd: 50, where: 'a.ts:1' } });
    expect(e.usdPerDay).toBeCloseTo(10 * (100 * 0.15 + 100 * 0.6) / 1_000_000, 12);
    expect(e.dailySpendCap?.applied).toBe(false);
  });
});

describe('estimateDailyExposure: a range when the model is not fixed', () => {
  it('says the model is not known when the code names an empty one', () => {
    const e = estimateDailyExposure({ provider: 'azure-openai', model: '', modelChosenByClient: false });
    expect(e.assumptions[0]).toBe("The model is not known from the code: any of openai's 27 listed models may serve the request.");
  });

  it("prices a client-chosen model over the provider's listed models, the figure at the costliest end", () => {
    const e = estimateDailyExposure({ provider: 'anthropic', modelChosenByClient: true, inputCapTokens: 1_000, outputCapTokens: 500 });
    // claude-3-haiku: 1,000 × 0.25 + 500 × 1.25 = 875 µ$; costliest claude-opus-4 family: 1,000 × 15 + 500 × 75 = 52,500 µ$.
    expect(e.priceRange?.cheapest).toMatchObject({ model: 'claude-3-haiku' });
    expect(e.priceRange?.cheapest.usdPerRequest).toBeCloseTo(0.000875, 12);
    expect(e.priceRange?.costliest.usdPerRequest).toBeCloseTo(0.0525, 12);
    expect(e.usdPerRequest).toBe(e.priceRange?.costliest.usdPerRequest);
    expect(e.usdPerDay).toBeCloseTo(0.0525 * 1_728_000, 6);
    expect(e.assumptions[1]).toMatch(/^Priced over anthropic's listed models: from claude-3-haiku \(\$0\.00088 a request\) to claude-opus-4(-1)? \(\$0\.05[23] a request\); the figure is the costliest\.$/);
  });

  it('never lists retired, Responses-only, embedding or image models in the range', () => {
    const e = estimateDailyExposure({ provider: 'openai', modelChosenByClient: true });
    const ends = [e.priceRange?.cheapest.model, e.priceRange?.costliest.model];
    for (const id of ['gpt-4-32k', 'o1-pro', 'text-embedding-3-small', 'dall-e-3', 'gpt-image-1']) expect(ends).not.toContain(id);
  });
});
