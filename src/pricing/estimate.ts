/**
 * Dollar exposure: what an abuser can spend through one endpoint in 24 hours, from the model's list price,
 * the largest request the route lets through and the request rate its limiters allow. An upper bound under
 * stated assumptions, each returned in `assumptions` so reports can show their working.
 */
import type { RateLimitKey } from '../model.js';
import {
  type ModelPrice,
  mostExpensiveModel,
  providerPrices,
  requestCostUsd,
  resolveModel,
} from './prices.js';
import {
  ASSUMED_ATTACK_REQUESTS_PER_DAY,
  ASSUMED_ATTACK_REQUESTS_PER_SECOND,
  ASSUMED_ATTACKER_ACCOUNTS,
  ASSUMED_ATTACKER_ADDRESSES,
} from './rates.js';

/**
 * Minutes of audio one transcription request carries: the 25 MB upload limit of OpenAI's transcription API
 * filled with 128 kbps audio is about 27 minutes.
 */
export const ASSUMED_AUDIO_MINUTES_PER_REQUEST = 27;

/** Tokens an attacker gets per character of a length-limited string: text chosen to tokenise badly. */
export const ASSUMED_TOKENS_PER_CHARACTER = 1;

/** One rate limiter on the route: the requests per day it lets one key make, and what the key is. */
export interface RateLimitInput {
  requestsPerDay: number;
  key: RateLimitKey;
}

export interface ExposureInput {
  /** The provider as the scanner reports it (`openai`, `azure-openai`, `anthropic`, `google`, `vercel-ai`...). */
  provider: string;
  /** The model id in the code; with `modelChosenByClient`, the default used when the client sends none. */
  model?: string;
  /** The request picks the model (`model: req.body.model`). */
  modelChosenByClient: boolean;
  /** The most input tokens the route lets reach the model (see `tokensFromCharacters`). */
  inputCapTokens?: number;
  /** The output-token limit the call sets. */
  outputCapTokens?: number;
  /** Requests per day one limiter allows per key (see `requestsPerDayFromWindow`). */
  requestsPerDay?: number;
  /** What that limiter counts by; `unknown` when not given. */
  limiterKey?: RateLimitKey;
  /** Every limiter on the route, when there are several; the tightest wins. */
  limits?: RateLimitInput[];
  /**
   * The unit the API bills in when not tokens (`characters`, `audio`, `images`...). Such a call is priced
   * only by the table entry of the model it names, when that entry is priced per item rather than as a chat
   * model; otherwise its price is unknown (`PriceUnknownError`), never a chat model's.
   */
  billedBy?: string;
}

/** The price table holds no figure for the call's provider or unit: the exposure is unknown, not estimated. */
export class PriceUnknownError extends Error {
  constructor(readonly provider: string, readonly billedBy: string, readonly model?: string) {
    super(`no list price for ${provider}${model ? ` ${model}` : ''}, billed by ${billedBy}`);
  }
}

/** How the priced model was chosen. */
export type ModelBasis = 'given' | 'client-chosen' | 'unknown-model';

export interface ExposureEstimate {
  usdPerDay: number;
  usdPerRequest: number;
  /** Sentences stating every figure assumed, in the order they enter the product. */
  assumptions: string[];
  /** The price table's provider, or the given one when the table has none. */
  provider: string;
  /** The price entry used. */
  model: string;
  modelBasis: ModelBasis;
  inputTokens: number;
  outputTokens: number;
  requestsPerDay: number;
  /** ISO date the model's price was checked. */
  priceDate: string;
}

export function estimateDailyExposure(input: ExposureInput): ExposureEstimate {
  const assumptions: string[] = [];
  const { model, basis, provider } = chooseModel(input, assumptions);
  const { inputTokens, outputTokens } = requestSize(model, input, assumptions);
  const audioMinutes = model.usdPerMinute ? ASSUMED_AUDIO_MINUTES_PER_REQUEST : 0;
  if (model.usdPerImage) assumptions.push(`One image per request at ${usd(model.usdPerImage)}, the model's most expensive size and quality.`);
  if (audioMinutes) {
    assumptions.push(`${audioMinutes} minutes of audio per request at ${usd(model.usdPerMinute ?? 0)}/minute: a 25 MB upload at 128 kbps.`);
  }
  const requestsPerDay = dailyRequests(input, assumptions);
  const usdPerRequest = requestCostUsd(model, inputTokens, outputTokens, audioMinutes);
  return {
    usdPerDay: usdPerRequest * requestsPerDay,
    usdPerRequest,
    assumptions,
    provider,
    model: model.id,
    modelBasis: basis,
    inputTokens,
    outputTokens,
    requestsPerDay,
    priceDate: model.date,
  };
}

function chooseModel(input: ExposureInput, assumptions: string[]): { model: ModelPrice; basis: ModelBasis; provider: string } {
  const given = input.model === undefined ? undefined : resolveModel(input.model, input.provider);
  if (input.billedBy !== undefined && (!given || input.modelChosenByClient || given.contextWindow !== null)) {
    throw new PriceUnknownError(input.provider, input.billedBy, input.model);
  }
  const provider = providerPrices(input.provider)?.id ?? given?.provider;
  let chosen: { model: ModelPrice; basis: ModelBasis };
  if (given && !input.modelChosenByClient) {
    chosen = { model: given, basis: 'given' };
    if (given.id !== input.model) assumptions.push(`Model ${input.model} priced as ${given.id}.`);
  } else {
    const fallback = provider === undefined ? undefined : mostExpensiveModel(provider);
    if (fallback && provider !== undefined) {
      chosen = { model: fallback, basis: input.modelChosenByClient ? 'client-chosen' : 'unknown-model' };
      const why = input.modelChosenByClient
        ? 'The client chooses the model'
        : input.model === undefined
          ? 'The model is not known from the code'
          : `Model ${input.model} is not in the price table`;
      assumptions.push(`${why}: priced as ${provider}'s most expensive, ${fallback.id}.`);
    } else {
      // Another provider's price would be invented: a Llama model on Groq is not priced like gpt-5.5.
      throw new PriceUnknownError(input.provider, 'tokens', input.model);
    }
  }
  const m = chosen.model;
  assumptions.push(
    `${m.id}: ${usd(m.inputPerMTok)} per 1M input tokens, ${usd(m.outputPerMTok)} per 1M output tokens (list price checked ${m.date}).`,
  );
  return { ...chosen, provider: provider ?? input.provider };
}

function requestSize(model: ModelPrice, input: ExposureInput, assumptions: string[]): { inputTokens: number; outputTokens: number } {
  const maxOutput = model.maxOutputTokens ?? 0;
  const outputTokens = input.outputCapTokens === undefined ? maxOutput : Math.min(input.outputCapTokens, maxOutput);
  if (maxOutput > 0) {
    assumptions.push(
      input.outputCapTokens === undefined
        ? `Output: ${count(outputTokens)} tokens per request, the model's maximum (no output cap).`
        : `Output: ${count(outputTokens)} tokens per request, the call's output cap.`,
    );
  }
  const room = model.contextWindow === null ? undefined : Math.max(model.contextWindow - outputTokens, 0);
  let inputTokens: number;
  if (input.inputCapTokens !== undefined) {
    inputTokens = room === undefined ? input.inputCapTokens : Math.min(input.inputCapTokens, room);
    assumptions.push(`Input: ${count(inputTokens)} tokens per request, the route's input cap.`);
  } else if (room !== undefined) {
    inputTokens = room;
    assumptions.push(`Input: ${count(inputTokens)} tokens per request: the ${count(model.contextWindow ?? 0)}-token context window less the output (no input cap).`);
  } else {
    inputTokens = 0;
  }
  const long = model.longContext;
  if (long && inputTokens > long.aboveInputTokens) {
    assumptions.push(
      `Above ${count(long.aboveInputTokens)} input tokens the whole request is billed at ${usd(long.inputPerMTok)} / ${usd(long.outputPerMTok)} per 1M tokens.`,
    );
  }
  return { inputTokens, outputTokens };
}

const KEY_MULTIPLIER: Record<RateLimitKey, { times: number; per: string }> = {
  ip: { times: ASSUMED_ATTACKER_ADDRESSES, per: 'per IP address, times the addresses an attacker controls' },
  user: { times: ASSUMED_ATTACKER_ACCOUNTS, per: 'per user, times the accounts an attacker holds' },
  unknown: { times: ASSUMED_ATTACKER_ADDRESSES, per: 'per client (key not traced), times the addresses an attacker controls' },
  global: { times: 1, per: 'shared by all callers' },
  client: { times: 0, per: '' },
};

function dailyRequests(input: ExposureInput, assumptions: string[]): number {
  const limits = [...(input.limits ?? [])];
  if (input.requestsPerDay !== undefined) limits.push({ requestsPerDay: input.requestsPerDay, key: input.limiterKey ?? 'unknown' });
  if (limits.some((l) => l.key === 'client')) {
    assumptions.push('A limiter keyed on a value the client sends counts as no limit: the client rotates it.');
  }
  const totals = limits
    .filter((l) => l.key !== 'client')
    .map((l) => ({ ...l, total: l.requestsPerDay * KEY_MULTIPLIER[l.key].times }))
    .sort((a, b) => a.total - b.total);
  const attack = `an assumed attack of ${ASSUMED_ATTACK_REQUESTS_PER_SECOND} requests/s from one script (${count(ASSUMED_ATTACK_REQUESTS_PER_DAY)}/day)`;
  const tightest = totals[0];
  if (!tightest) {
    assumptions.push(`Rate: no limit the client cannot get around: ${attack}.`);
    return ASSUMED_ATTACK_REQUESTS_PER_DAY;
  }
  const { times, per } = KEY_MULTIPLIER[tightest.key];
  const allowed = times === 1 ? `${count(tightest.total)}/day ${per}` : `${count(tightest.requestsPerDay)}/day ${per} (${times}) = ${count(tightest.total)}/day`;
  if (tightest.total > ASSUMED_ATTACK_REQUESTS_PER_DAY) {
    assumptions.push(`Rate: the limit allows ${allowed}, more than ${attack}; the attack rate is used.`);
    return ASSUMED_ATTACK_REQUESTS_PER_DAY;
  }
  assumptions.push(`Rate: ${allowed}.`);
  return tightest.total;
}

/** Input tokens a string limited to `characters` characters can carry, at `ASSUMED_TOKENS_PER_CHARACTER`. */
export function tokensFromCharacters(characters: number): number {
  return Math.ceil(characters * ASSUMED_TOKENS_PER_CHARACTER);
}

/**
 * Dollars for a report: `~$47,000`. Two significant figures from $100 up, whole dollars from $10, cents
 * below; `<$0.01` for less than a cent.
 */
export function formatUsd(n: number): string {
  if (!Number.isFinite(n)) return 'unbounded';
  if (n <= 0) return '$0';
  if (n < 0.01) return '<$0.01';
  if (n < 10) return `~$${n.toFixed(2)}`;
  if (n < 100) return `~$${Math.round(n)}`;
  const digits = Math.floor(n).toFixed(0).length;
  const unit = 10 ** (digits - 2);
  return `~$${thousands(Math.round(n / unit) * unit)}`;
}

function thousands(n: number): string {
  return n.toFixed(0).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function count(n: number): string {
  return Number.isInteger(n) ? thousands(n) : thousands(Math.round(n));
}

/** A list price: `$2.50`, `$0.075`. */
function usd(n: number): string {
  const text = n.toFixed(4).replace(/0{1,2}$/, '');
  return `$${text}`;
}
