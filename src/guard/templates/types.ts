/**
 * The AI route guard: configuration and the types its parts share.
 *
 * One guard stands in front of each paid model route and, in this order: authenticates the caller, counts
 * the request against a per-IP and a per-user sliding window, validates the input, and reserves the
 * request's estimated cost against a daily spend cap. After the model answers, the route settles the
 * reservation from the real token usage, which writes an audit line and may raise a spend alert.
 */

/** The verified caller, as the app's own authentication function returns it. */
export interface GuardUser {
  id: string;
}

/** The one model a guarded route calls. The client never chooses it or its output cap. */
export interface ModelConfig {
  id: string;
  maxOutputTokens: number;
  /** Prices in US dollars per million tokens, used to estimate and settle spend. */
  inputUsdPerMillionTokens: number;
  outputUsdPerMillionTokens: number;
}

export interface InputLimits {
  /** Most messages one request may carry (a `{ prompt }` is one message). */
  maxMessages: number;
  /**
   * Most text in one message, in UTF-8 bytes (one per ASCII character), summed over all its text parts. Bytes, not
   * characters: the reservation counts the same unit, so text within the limit is text the reservation covers.
   */
  maxMessageChars: number;
  /** Most non-text parts (files, images, tool calls and results) in one request. */
  maxNonTextParts: number;
  /** Most bytes of one non-text part, as JSON. */
  maxNonTextPartBytes: number;
  /**
   * Tokens reserved for one image or file part, whose cost depends on the model and not on its bytes (a file
   * given by URL has none here). Set it from your model's price of its largest accepted image or document.
   */
  mediaPartTokens: number;
  /** Roles a client message may take. `system` and `developer` are never accepted from a client. */
  roles: ClientRole[];
}

export type ClientRole = 'user' | 'assistant' | 'tool';

/** A sliding window: at most `limit` requests in any `windowMs` span. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimitConfig {
  perIp: WindowLimit;
  perUser: WindowLimit;
}

export interface SpendConfig {
  /** Ceiling on the whole app's model spend per UTC day. */
  dailyCapUsd: number;
  /** Ceiling on one user's model spend per UTC day (routes with a verified user). */
  perUserDailyCapUsd: number;
}

export interface SpendAlert {
  /** `threshold`: the day's spend reached `thresholdUsd`; `spike`: it reached `spikeFactor` times yesterday's. */
  kind: 'threshold' | 'spike';
  day: string;
  spentUsd: number;
  thresholdUsd: number;
  previousDayUsd: number;
}

export type SpendNotifier = (alert: SpendAlert) => Promise<void> | void;

export interface AlertConfig {
  /** Alert when the day's spend reaches this. Default: 80% of the daily cap. */
  thresholdUsd: number;
  /** Alert when the day's spend reaches this many times the previous day's. Default: 3. */
  spikeFactor: number;
  /** Who hears about it. Default: a JSON POST to `webhookUrl`, or a warning on the console without one. */
  notify?: SpendNotifier;
  webhookUrl?: string;
}

/** One line per paid call. */
export interface AuditEntry {
  event: 'ai_call';
  time: string;
  route: string;
  userId: string | null;
  ip: string;
  model: string;
  /** `settled`: the model answered and reported usage; `released`: the call failed before being billed. */
  outcome: 'settled' | 'released' | 'unreported';
  inputTokens: number | null;
  outputTokens: number | null;
  estimatedCostUsd: number;
  costUsd: number;
}

export type AuditSink = (entry: AuditEntry) => void;

/** How the client address is found. Forwarding headers count only behind a proxy the app names here. */
export type ProxyConfig =
  /**
   * No proxy: the connection's peer address where the framework gives one (Express, Fastify, h3, SvelteKit,
   * Astro). Next.js, Remix and Workers see no socket, so there all clients share one bucket. Every other value
   * trusts a header that a client can set itself unless that platform, and only it, stands in front.
   */
  | 'none'
  /** Cloudflare in front: its `cf-connecting-ip` header. */
  | 'cloudflare'
  /** Vercel: the platform's `x-real-ip` header. */
  | 'vercel'
  /** Netlify: the platform's `x-nf-client-connection-ip` header. */
  | 'netlify'
  /** This many trusted proxies append to `X-Forwarded-For`: the client is that many entries from the right. */
  | { forwardedForHops: number };

/**
 * Counters shared by every instance of the app. Amounts are integers (spend is counted in micro-dollars).
 * Every method either does all of its work or none of it, and rejects when the store cannot be reached.
 */
export interface CounterStore {
  /** Counts one request under `key` and returns the requests seen in the sliding window ending `nowMs`. */
  increment(key: string, windowMs: number, nowMs: number): Promise<number>;
  /** Adds every amount if each counter stays within its cap; otherwise changes nothing. */
  reserve(entries: readonly CappedAmount[], ttlMs: number): Promise<ReserveOutcome>;
  /** Adds (possibly negative) amounts to counters and returns their new values. */
  add(entries: readonly CounterAmount[], ttlMs: number): Promise<number[]>;
  /** A counter's value, 0 when absent. */
  get(key: string): Promise<number>;
  /** True for the first caller only while the key lives: a once-only latch. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export interface CounterAmount {
  key: string;
  amount: number;
}

export interface CappedAmount extends CounterAmount {
  cap: number;
}

export type ReserveOutcome =
  | { ok: true; totals: number[] }
  /** `refusedKey`: the first counter that would have gone over its cap. */
  | { ok: false; refusedKey: string };

export interface GuardOptions<TRequest> {
  model: ModelConfig;
  store: CounterStore;
  /**
   * The app's own authentication: the verified user for this request, or null. Required unless every
   * guarded route is declared public.
   */
  authenticate?: (request: TRequest) => Promise<GuardUser | null | undefined> | GuardUser | null | undefined;
  proxy?: ProxyConfig;
  input?: Partial<InputLimits>;
  rateLimit?: { perIp?: Partial<WindowLimit>; perUser?: Partial<WindowLimit> };
  spend?: Partial<SpendConfig>;
  alerts?: Partial<AlertConfig>;
  audit?: AuditSink;
  /** A store call slower than this counts as a store failure (503). Default: 2000 ms. */
  storeTimeoutMs?: number;
  /** The clock, in milliseconds since the epoch. */
  now?: () => number;
}

export interface RouteOptions {
  /** The name the audit log and counters use for this route. */
  route: string;
  /** A public route skips authentication; the limiters, input limits and spend cap still apply. */
  public?: boolean;
  /** Tokens the route adds around the client's messages (system prompt, tools), for the cost estimate. */
  promptTokens?: number;
}

/** A client message in any accepted shape, as validated (text parts keep only `type` and `text`). */
export interface ClientMessage {
  role: ClientRole;
  /** OpenAI and Anthropic: a string, or a list of parts. */
  content?: string | ClientPart[];
  /** AI SDK v5 UI messages (`useChat`): a list of parts. */
  parts?: ClientPart[];
  id?: string;
}

/** `{ type: 'text', text }` and `{ type: 'reasoning', text }` are text; any other type is a non-text part. */
export interface ClientPart {
  type: string;
  text?: string;
  [field: string]: unknown;
}

/** The validated input. A `{ prompt }` body also appears as one user message, so `messages` is always there. */
export interface GuardInput {
  messages: ClientMessage[];
  prompt?: string;
}

/** What the route needs after the guard let a request through. */
export interface PaidCall {
  user: GuardUser | undefined;
  /** Settles the spend from the model's reported usage (OpenAI, Anthropic or AI SDK shape). Never throws. */
  settle(usage: unknown): Promise<void>;
  /** Gives the reservation back when the model call failed and was not billed. Never throws. */
  release(): Promise<void>;
}
