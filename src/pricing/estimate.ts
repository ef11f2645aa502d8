/**
 * Dollar exposure: what an abuser can spend through one endpoint in 24 hours, from the model's list price,
 * the largest request the route lets through and the request rate its limiters allow. An upper bound under
 * stated assumptions, each returned in `assumptions` so reports can show their working.
 */
import type { RateLimitKey } from '../model.js';
import { type ModelPrice, mostExpensiveModel, providerPrices, requestCostUsd, resolveModel, selectableModels } from './prices.js';
import {
  ASSUMED_ATTACK_REQUESTS_PER_DAY,
  ASSUMED_ATTACK_REQUESTS_PER_SECOND,
  ASSUMED_ATTACKER_ACCOUNTS,
  ASSUMED_ATTACKER_ADDRESSES,
} from './rates.js';

/** Where an assumed figure came from: the config file's `exposure:` section, or the built-in default. */
export type AssumptionSource = 'config' | 'default';

/** What the attacker is assumed to hold, for limits counted per IP address and per signed-in user. */
export interface AttackerAssumptions {
  /** Client addresses the attacker controls. */
  ips: { value: number; source: AssumptionSource };
  /** Accounts the attacker can open: `unbounded` with free sign-up. */
  accounts: { value: number | 'unbounded'; source: AssumptionSource };
}

export const DEFAULT_ATTACKERS: AttackerAssumptions = {
  ips: { value: ASSUMED_ATTACKER_ADDRESSES, source: 'default' },
  accounts: { value: ASSUMED_ATTACKER_ACCOUNTS, source: 'default' },
};

/** The attacker assumptions from the config's `exposure:` section, the defaults where it says nothing. */
export function attackerAssumptions(config?: { attackerIps?: number; attackerAccounts?: number | 'unbounded' }): AttackerAssumptions {
  return {
    ips: config?.attackerIps === undefined ? DEFAULT_ATTACKERS.ips : { value: config.attackerIps, source: 'config' },
    accounts: config?.attackerAccounts === undefined ? DEFAULT_ATTACKERS.accounts : { value: config.attackerAccounts, source: 'config' },
  };
}

/** A spend cap that refuses once a day's spend reaches a readable amount, and fails closed. */
export interface DailySpendCap {
  usd: number;
  /** `file:line` of the amount, for the assumption sentence. */
  where: string;
  /** The cap is kept per account: it bounds the day only times the accounts an attacker opens. */
  perAccount?: boolean;
}

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
  /** What the attacker holds; the defaults when not given. */
  attackers?: AttackerAssumptions;
  /** A fail-closed daily spend cap with a readable amount: the day's exposure is at most its amount. */
  dailySpendCap?: DailySpendCap;
}

/** The price table holds no figure for the call's provider or unit: the exposure is unknown, not estimated. */
export class PriceUnknownError extends Error {
  constructor(readonly provider: string, readonly billedBy: string, readonly model?: string) {
    super(`no list price for ${provider}${model ? ` ${model}` : ''}, billed by ${billedBy}`);
  }
}

/** How the priced model was chosen. */
export type ModelBasis = 'given' | 'client-chosen' | 'unknown-model';

/** One end of a price range: a listed model and what a worst-case request and day cost with it. */
export interface PricedModel {
  model: string;
  usdPerRequest: number;
  usdPerDay: number;
}

export interface ExposureEstimate {
  /** The day's exposure: requests per day times the cost of one request, at most a fail-closed daily cap. */
  usdPerDay: number;
  usdPerRequest: number;
  /** How `requestsPerDay` was reached, one sentence (also among the assumptions). */
  rate: string;
  attackers: AttackerAssumptions;
  /** The fail-closed daily cap, and whether it lowered the figure. */
  dailySpendCap?: DailySpendCap & { applied: boolean };
  /**
   * When the model is the client's choice or not in the table: the provider's cheapest and costliest listed
   * models. The figures above are the costliest end.
   */
  priceRange?: { cheapest: PricedModel; costliest: PricedModel };
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
  const attackers = input.attackers ?? DEFAULT_ATTACKERS;
  const { models, basis, provider } = chooseModels(input, assumptions);
  const { rate, requestsPerDay } = dailyRequests(input, attackers);
  const priced = models.map((model) => priceRequest(model, input));
  const costliest = priced.reduce((a, b) => (b.usdPerRequest > a.usdPerRequest ? b : a));
  const cheapest = priced.reduce((a, b) => (b.usdPerRequest < a.usdPerRequest ? b : a));
  if (priced.length > 1) {
    assumptions.push(
      `Priced over ${provider}'s listed models: from ${cheapest.model.id} (${perRequestUsd(cheapest.usdPerRequest)} a request) to ${costliest.model.id} (${perRequestUsd(costliest.usdPerRequest)} a request); the figure is the costliest.`,
    );
  }
  const { model, inputTokens, outputTokens, usdPerRequest } = costliest;
  assumptions.push(...costliest.assumptions, rate);
  const uncapped = usdPerRequest * requestsPerDay;
  const cap = appWideCap(input.dailySpendCap, attackers, assumptions);
  const applied = cap !== undefined && cap.usd < uncapped;
  if (cap) {
    assumptions.push(
      applied
        ? `Capped at ${usd(cap.usd)}/day by the daily spend cap at ${cap.where}, which fails closed.`
        : `The daily spend cap at ${cap.where} (${usd(cap.usd)}) is above this figure.`,
    );
  }
  const day = (perRequest: number): number => Math.min(perRequest * requestsPerDay, cap?.usd ?? Infinity);
  const end = (p: RequestPrice): PricedModel => ({ model: p.model.id, usdPerRequest: p.usdPerRequest, usdPerDay: day(p.usdPerRequest) });
  return {
    usdPerDay: day(usdPerRequest),
    usdPerRequest,
    rate,
    attackers,
    ...(cap ? { dailySpendCap: { ...cap, applied } } : {}),
    ...(priced.length > 1 ? { priceRange: { cheapest: end(cheapest), costliest: end(costliest) } } : {}),
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

/**
 * What a cap bounds the whole day at: its amount, or, for a cap kept per account, the amount times the accounts an
 * attacker opens; nothing with free sign-up.
 */
function appWideCap(cap: DailySpendCap | undefined, attackers: AttackerAssumptions, assumptions: string[]): DailySpendCap | undefined {
  if (!cap?.perAccount) return cap;
  const accounts = attackers.accounts.value;
  if (accounts === 'unbounded') {
    assumptions.push(`The daily spend cap at ${cap.where} (${usd(cap.usd)}) is per account and bounds nothing: an attacker can open any number of accounts.`);
    return undefined;
  }
  return { usd: cap.usd * accounts, where: `${cap.where} (${usd(cap.usd)} per account × ${accounts} accounts)` };
}

interface RequestPrice {
  model: ModelPrice;
  inputTokens: number;
  outputTokens: number;
  usdPerRequest: number;
  assumptions: string[];
}

/** One worst-case request with one model: its size under the caps found and its list price. */
function priceRequest(model: ModelPrice, input: ExposureInput): RequestPrice {
  const assumptions = [
    `${model.id}: ${usd(model.inputPerMTok)} per 1M input tokens, ${usd(model.outputPerMTok)} per 1M output tokens (list price checked ${model.date}).`,
  ];
  const { inputTokens, outputTokens } = requestSize(model, input, assumptions);
  const audioMinutes = model.usdPerMinute ? ASSUMED_AUDIO_MINUTES_PER_REQUEST : 0;
  if (model.usdPerImage) assumptions.push(`One image per request at ${usd(model.usdPerImage)}, the model's most expensive size and quality.`);
  if (audioMinutes) {
    assumptions.push(`${audioMinutes} minutes of audio per request at ${usd(model.usdPerMinute ?? 0)}/minute: a 25 MB upload at 128 kbps.`);
  }
  return { model, inputTokens, outputTokens, usdPerRequest: requestCostUsd(model, inputTokens, outputTokens, audioMinutes), assumptions };
}

/**
 * The models to price: the one the code names, or, when the client picks it or the table does not list it,
 * every model the provider lists for its chat API (a range, never one invented price).
 */
function chooseModels(input: ExposureInput, assumptions: string[]): { models: ModelPrice[]; basis: ModelBasis; provider: string } {
  const given = input.model === undefined ? undefined : resolveModel(input.model, input.provider);
  if (input.billedBy !== undefined && (!given || input.modelChosenByClient || given.contextWindow !== null)) {
    throw new PriceUnknownError(input.provider, input.billedBy, input.model);
  }
  const provider = providerPrices(input.provider)?.id ?? given?.provider;
  if (given && !input.modelChosenByClient) {
    if (given.id !== input.model) assumptions.push(`Model ${input.model} priced as ${given.id}.`);
    return { models: [given], basis: 'given', provider: provider ?? input.provider };
  }
  // The provider serves models its list lacks: the list's costliest entry is not the ceiling.
  if (provider !== undefined && providerPrices(provider)?.partialCatalogue) throw new PriceUnknownError(input.provider, 'tokens');
  // The table's costliest entry first, so it stands for the top of the range when prices tie.
  const costliest = provider === undefined ? undefined : mostExpensiveModel(provider);
  const listed = (provider === undefined ? [] : selectableModels(provider)).sort((x, y) => Number(y === costliest) - Number(x === costliest));
  // Another provider's price would be invented: a Llama model on Groq is not priced like gpt-5.5.
  if (provider === undefined || listed.length === 0) throw new PriceUnknownError(input.provider, 'tokens', input.model);
  const why = input.modelChosenByClient
    ? 'The client chooses the model'
    : !input.model?.trim()
      ? 'The model is not known from the code'
      : `Model ${input.model} is not in the price table`;
  assumptions.push(`${why}: any of ${provider}'s ${listed.length} listed models may serve the request.`);
  return { models: listed, basis: input.modelChosenByClient ? 'client-chosen' : 'unknown-model', provider };
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

/** What a limit counted per key allows in total: the per-key rate times the keys an attacker holds. */
function keyMultiplier(key: RateLimitKey, attackers: AttackerAssumptions): { times: number; per: string } {
  const { ips, accounts } = attackers;
  const ipsText = `${ips.value}, ${ips.source === 'config' ? 'exposure.attackerIps in the config' : 'the default; set exposure.attackerIps'}`;
  switch (key) {
    case 'ip':
      return { times: ips.value, per: `per IP address, times the addresses an attacker controls (${ipsText})` };
    case 'unknown':
      return { times: ips.value, per: `per client (key not traced), times the addresses an attacker controls (${ipsText})` };
    case 'user':
      return accounts.value === 'unbounded'
        ? {
            times: Infinity,
            per: `per user, and an attacker can open any number of accounts (${accounts.source === 'config' ? 'exposure.attackerAccounts in the config' : 'free sign-up assumed; set exposure.attackerAccounts when it is not'})`,
          }
        : {
            times: accounts.value,
            per: `per user, times the accounts an attacker holds (${accounts.value}, ${accounts.source === 'config' ? 'exposure.attackerAccounts in the config' : 'the default'})`,
          };
    case 'global':
      return { times: 1, per: 'shared by all callers' };
    case 'client':
      return { times: 0, per: '' };
  }
}

function dailyRequests(input: ExposureInput, attackers: AttackerAssumptions): { rate: string; requestsPerDay: number } {
  const limits = [...(input.limits ?? [])];
  if (input.requestsPerDay !== undefined) limits.push({ requestsPerDay: input.requestsPerDay, key: input.limiterKey ?? 'unknown' });
  const rotated = limits.some((l) => l.key === 'client') ? ' A limiter keyed on a value the client sends counts as no limit: the client rotates it.' : '';
  const totals = limits
    .filter((l) => l.key !== 'client')
    .map((l) => ({ ...l, ...keyMultiplier(l.key, attackers) }))
    .map((l) => ({ ...l, total: l.requestsPerDay * l.times }))
    .sort((a, b) => a.total - b.total);
  const attack = `an assumed attack of ${ASSUMED_ATTACK_REQUESTS_PER_SECOND} requests/s from one script (${count(ASSUMED_ATTACK_REQUESTS_PER_DAY)}/day)`;
  const tightest = totals[0];
  if (!tightest) {
    return { rate: `Rate: no limit the client cannot get around: ${attack}.${rotated}`, requestsPerDay: ASSUMED_ATTACK_REQUESTS_PER_DAY };
  }
  const { times, per, total } = tightest;
  const allowed = times === 1 || times === Infinity ? `${count(tightest.requestsPerDay)}/day ${per}` : `${count(tightest.requestsPerDay)}/day ${per} = ${count(total)}/day`;
  if (total > ASSUMED_ATTACK_REQUESTS_PER_DAY) {
    return { rate: `Rate: the limit allows ${allowed}, more than ${attack}; the attack rate is used.${rotated}`, requestsPerDay: ASSUMED_ATTACK_REQUESTS_PER_DAY };
  }
  return { rate: `Rate: ${allowed}.${rotated}`, requestsPerDay: total };
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
  if (!Number.isFinite(n)) return 'unbounded';
  return Number.isInteger(n) ? thousands(n) : thousands(Math.round(n));
}

/** What one request costs: cents from a dollar up, two significant figures below (`$0.027`, `$0.00042`). */
export function perRequestUsd(n: number): string {
  return n >= 1 || n === 0 ? `$${n.toFixed(2)}` : `$${Number(n.toPrecision(2))}`;
}

/** A list price: `$2.50`, `$0.075`. */
function usd(n: number): string {
  const text = n.toFixed(4).replace(/0{1,2}$/, '');
  return `$${text}`;
}
