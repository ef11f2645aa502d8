/**
 * The price table (`prices.json`, kept as data) and the resolver from a model id as written in code
 * (`gpt-4o-2024-08-06`, `claude-3-5-sonnet-latest`, `models/gemini-1.5-pro`) to its price entry.
 */
import { createRequire } from 'node:module';
import type PriceFile from './prices.json';

/** Higher rates the provider bills for the whole request once its input passes a threshold. */
export interface LongContextPrice {
  aboveInputTokens: number;
  inputPerMTok: number;
  outputPerMTok: number;
}

/** One model's published prices and limits. */
export interface ModelPrice {
  /** The table key: the model family, without date or version suffix. */
  id: string;
  provider: string;
  /** USD per 1M input tokens. */
  inputPerMTok: number;
  /** USD per 1M output tokens. */
  outputPerMTok: number;
  /** Tokens of input plus output one request may hold; null for models not billed by tokens. */
  contextWindow: number | null;
  maxOutputTokens: number | null;
  longContext?: LongContextPrice;
  /** USD per generated image (the most expensive size and quality), for image models billed per image. */
  usdPerImage?: number;
  /** USD per minute of audio, for transcription models. */
  usdPerMinute?: number;
  /** Other ids that name this model and share no prefix with it. */
  aliases?: string[];
  /** Served only through OpenAI's Responses API, so a chat-completions endpoint cannot reach it. */
  responsesApiOnly?: boolean;
  /** No longer served by the provider; the last published price is kept for code that still names it. */
  retired?: boolean;
  /** The provider's pricing page. */
  source: string;
  /** ISO date (YYYY-MM-DD) the figure was checked. */
  date: string;
  note?: string;
}

export interface ProviderPrices {
  id: string;
  pricingPage: string;
  /** The model assumed when the client picks the model. */
  mostExpensive: string;
  /** Other provider names the scanner reports for the same price list (`azure-openai`). */
  aliases: string[];
  /**
   * The provider serves other vendors' open models (Llama on Workers AI, gpt-oss on Fireworks) at its own
   * prices: its list prices a call only when the call goes to it.
   */
  hostsOpenModels: boolean;
  /**
   * The list holds only some of the models the provider serves (a host of open models, Claude next to Nova on
   * Bedrock): when the client picks the model, or the code names one the list lacks, it does not bound the price.
   */
  partialCatalogue: boolean;
  models: ModelPrice[];
}

type RawModel = Omit<ModelPrice, 'id' | 'provider'>;
type RawProvider = {
  pricingPage: string;
  mostExpensive: string;
  aliases?: string[];
  hostsOpenModels?: boolean;
  partialCatalogue?: boolean;
  models: Record<string, RawModel>;
};

const raw = createRequire(import.meta.url)('./prices.json') as typeof PriceFile;

export const PRICE_TABLE: readonly ProviderPrices[] = Object.entries(raw.providers as Record<string, RawProvider>).map(
  ([id, provider]) => ({
    id,
    pricingPage: provider.pricingPage,
    mostExpensive: provider.mostExpensive,
    aliases: provider.aliases ?? [],
    hostsOpenModels: provider.hostsOpenModels ?? false,
    partialCatalogue: provider.partialCatalogue ?? false,
    models: Object.entries(provider.models).map(([modelId, model]) => ({ ...model, id: modelId, provider: id })),
  }),
);

/** The price list for a provider name as the scanner reports it (`openai`, `azure-openai`, `google`...). */
export function providerPrices(provider: string): ProviderPrices | undefined {
  const name = provider.trim().toLowerCase();
  return PRICE_TABLE.find((p) => p.id === name || p.aliases.includes(name));
}

/**
 * A model id reduced to the form the table uses: lower case, without a fine-tune marker (`ft:`), a path
 * (`models/`, `openai/`, `publishers/google/models/`), a Bedrock vendor prefix (`us.anthropic.`) or a Vertex
 * version (`@20250514`).
 */
export function normaliseModelId(model: string): string {
  let id = model.trim().toLowerCase();
  id = id.replace(/^ft:/, '');
  id = id.slice(id.lastIndexOf('/') + 1);
  id = id.replace(/^(?:[a-z]{2,6}\.)?(?:anthropic|mistral|openai|google)\./, '');
  return id.replace(/@.*$/, '');
}

/**
 * The price entry a model id stands for: the longest table key (or alias) that is the whole id or a prefix
 * of it ending at a `-`, `:` or `@`, so `gpt-4o-2024-08-06` is `gpt-4o`, `gpt-4o-mini` is not `gpt-4o` and
 * `gpt-4.1` is not `gpt-4`. The given provider's list is searched first, then the others: a model id names
 * its vendor (an OpenAI-compatible client may call Mistral).
 */
export function resolveModel(model: string, provider?: string): ModelPrice | undefined {
  // Every paid call of every route asks; a project names a handful of models.
  const key = `${provider ?? ''}\u0000${model}`;
  if (!resolvedModels.has(key)) resolvedModels.set(key, findModel(model, provider));
  return resolvedModels.get(key);
}

const resolvedModels = new Map<string, ModelPrice | undefined>();

function findModel(model: string, provider?: string): ModelPrice | undefined {
  const id = normaliseModelId(model);
  if (id === '') return undefined;
  const preferred = provider === undefined ? undefined : providerPrices(provider);
  // A host of open models prices them its own way: its list stands only for calls that go to it.
  const others = PRICE_TABLE.filter((p) => p !== preferred && !p.hostsOpenModels);
  for (const list of preferred ? [[preferred], others] : [others]) {
    const match = longestMatch(id, list.flatMap((p) => p.models));
    if (match) return match;
  }
  return undefined;
}

function longestMatch(id: string, models: readonly ModelPrice[]): ModelPrice | undefined {
  let best: ModelPrice | undefined;
  let bestLength = 0;
  for (const model of models) {
    for (const key of [model.id, ...(model.aliases ?? [])]) {
      if (key.length > bestLength && namesModel(id, key)) {
        best = model;
        bestLength = key.length;
      }
    }
  }
  return best;
}

function namesModel(id: string, key: string): boolean {
  return id === key || (id.startsWith(key) && '-:@'.includes(id[key.length]));
}

/**
 * The chat models a client can still pick from a provider's list: billed by tokens with some output, neither
 * retired nor served only through OpenAI's Responses API.
 */
export function selectableModels(provider: string): ModelPrice[] {
  const prices = providerPrices(provider);
  return (prices?.models ?? []).filter((m) => m.contextWindow !== null && (m.maxOutputTokens ?? 0) > 0 && !m.retired && !m.responsesApiOnly);
}

/** The provider's `mostExpensive` entry: its costliest maximal request among the models a client can pick. */
export function mostExpensiveModel(provider: string): ModelPrice | undefined {
  const prices = providerPrices(provider);
  return prices?.models.find((m) => m.id === prices.mostExpensive);
}

/** Input and output tokens of the largest request a model accepts: the whole context, output at its maximum. */
export function largestRequest(model: ModelPrice): { inputTokens: number; outputTokens: number } {
  const outputTokens = model.maxOutputTokens ?? 0;
  const inputTokens = model.contextWindow === null ? 0 : Math.max(model.contextWindow - outputTokens, 0);
  return { inputTokens, outputTokens };
}

/**
 * USD one request costs. Token prices are applied to whole token counts before dividing by a million,
 * which keeps the arithmetic exact for the table's prices; long-context rates apply to the whole request.
 */
export function requestCostUsd(model: ModelPrice, inputTokens: number, outputTokens: number, audioMinutes = 0): number {
  const rates = model.longContext && inputTokens > model.longContext.aboveInputTokens ? model.longContext : model;
  const tokens = (inputTokens * rates.inputPerMTok + outputTokens * rates.outputPerMTok) / 1_000_000;
  return tokens + (model.usdPerImage ?? 0) + (model.usdPerMinute ?? 0) * audioMinutes;
}

/** USD of the largest request a model accepts. */
export function worstCaseRequestUsd(model: ModelPrice, audioMinutes = 0): number {
  const { inputTokens, outputTokens } = largestRequest(model);
  return requestCostUsd(model, inputTokens, outputTokens, audioMinutes);
}
