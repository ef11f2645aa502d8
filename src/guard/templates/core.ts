/**
 * The framework-independent half of the AI route guard: the checks in order (`admit`), input schema, request
 * counters, the spend ledger (reserve before the call, settle after it), spend alerts and the audit log. Each
 * framework adapter hands `admit` the request's user, address and body, and turns a refusal into its own answer.
 */
import { z } from 'zod';
import { checkSizes, clientRoles, MAX_PARTS_PER_MESSAGE, messageTokenBound, oneInput, SERVER_SETS_SYSTEM, toGuardInput } from './messages.js';
import { webhookNotifier } from './notify.js';
import type {
  AlertConfig,
  AuditEntry,
  AuditSink,
  CappedAmount,
  ClientMessage,
  CounterStore,
  GuardInput,
  GuardOptions,
  GuardUser,
  InputLimits,
  ModelConfig,
  PaidCall,
  ProxyConfig,
  RateLimitConfig,
  RouteOptions,
  SpendAlert,
  SpendConfig,
  SpendNotifier,
  WindowLimit,
} from './types.js';

export { chatMessages, textOf, utf8Length } from './messages.js';

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxMessages: 40,
  maxMessageChars: 4000,
  maxNonTextParts: 8,
  maxNonTextPartBytes: 1_000_000,
  mediaPartTokens: 3000,
  roles: ['user', 'assistant'],
};
export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  perIp: { limit: 30, windowMs: 60_000 },
  perUser: { limit: 20, windowMs: 60_000 },
};
export const DEFAULT_SPEND: SpendConfig = { dailyCapUsd: 5, perUserDailyCapUsd: 0.5 };
export const DEFAULT_SPIKE_FACTOR = 3;
export const DEFAULT_STORE_TIMEOUT_MS = 2000;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Spend counters outlive their day so that tomorrow's spike alert can read them. */
const SPEND_TTL_MS = 3 * DAY_MS;

/** The store could not be reached or did not answer in time: the guard refuses with 503. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`guard store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

export const STORE_UNAVAILABLE_BODY = {
  error: 'guard_unavailable',
  message: 'The service cannot check its usage limits right now. No model call was made; try again shortly.',
} as const;

/** A chat message with string content: the shape the first guard accepted, one of those it accepts now. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A refusal, for the adapter to send in its framework's way. */
export interface Refusal {
  ok: false;
  status: number;
  body: object;
  headers: Record<string, string>;
}

/** A request the guard let through: its validated input and the handle to settle or release its reservation. */
export type Pass = { ok: true; input: GuardInput } & PaidCall;

export type Admission = Refusal | Pass;

/** Reads the body once the rate limits pass: the parsed JSON, `BODY_TOO_LARGE`, or null when it is not JSON. */
export type BodyReader = () => Promise<unknown>;

/** `RequestFacts.body` returns this when the body is larger than any valid request. */
export const BODY_TOO_LARGE = Symbol('body too large');

export interface GuardSettings {
  model: ModelConfig;
  input: InputLimits;
  rateLimit: RateLimitConfig;
  spend: SpendConfig;
  alerts: AlertConfig;
  storeTimeoutMs: number;
}

export type SpendDecision =
  | { allowed: true; reservation: Reservation }
  | { allowed: false; scope: 'app' | 'user'; capUsd: number };

export interface Reservation {
  day: string;
  keys: string[];
  micros: number;
}

export interface CallContext {
  route: string;
  user: GuardUser | undefined;
  ip: string;
}

export function resolveSettings<T>(options: GuardOptions<T>): GuardSettings {
  const spend = { ...DEFAULT_SPEND, ...options.spend };
  return {
    model: options.model,
    input: { ...DEFAULT_INPUT_LIMITS, ...options.input },
    rateLimit: {
      perIp: { ...DEFAULT_RATE_LIMIT.perIp, ...options.rateLimit?.perIp },
      perUser: { ...DEFAULT_RATE_LIMIT.perUser, ...options.rateLimit?.perUser },
    },
    spend,
    alerts: {
      thresholdUsd: options.alerts?.thresholdUsd ?? spend.dailyCapUsd * 0.8,
      spikeFactor: options.alerts?.spikeFactor ?? DEFAULT_SPIKE_FACTOR,
      notify: options.alerts?.notify,
      webhookUrl: options.alerts?.webhookUrl,
    },
    storeTimeoutMs: options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS,
  };
}

export function createGuardCore<T>(options: GuardOptions<T>) {
  const settings = resolveSettings(options);
  const limits = settings.input;
  const store: CounterStore = options.store;
  const now = options.now ?? Date.now;
  const audit: AuditSink = options.audit ?? ((entry) => console.log(JSON.stringify(entry)));
  const notify: SpendNotifier = settings.alerts.notify ?? webhookNotifier(settings.alerts.webhookUrl);

  // OpenAI chat (`content` a string or parts), Anthropic (content blocks), AI SDK v5 UI messages (`parts`), or
  // `{ prompt }`. Text is capped again in bytes over the whole message, and non-text parts by count and size.
  const Part = z.looseObject({ type: z.string().min(1).max(64), text: z.string().max(limits.maxMessageChars).optional() });
  const Message = z.object({
    id: z.string().max(256).optional(),
    role: z.enum(clientRoles(limits.roles)),
    content: z.union([z.string().max(limits.maxMessageChars), z.array(Part).max(MAX_PARTS_PER_MESSAGE)]).optional(),
    parts: z.array(Part).max(MAX_PARTS_PER_MESSAGE).optional(),
  });
  const ChatRequest = z
    .object({
      messages: z.array(Message).min(1).max(limits.maxMessages).optional(),
      prompt: z.string().min(1).max(limits.maxMessageChars).optional(),
      system: z.undefined({ error: SERVER_SETS_SYSTEM }).optional(),
    })
    .refine(oneInput, { message: 'send either messages or a prompt' })
    .transform(toGuardInput)
    .superRefine((input, context) => checkSizes(input, limits, context));

  function validate(body: unknown) {
    return ChatRequest.safeParse(body);
  }

  /**
   * The guard's checks in order; the first that fails is the answer. Rejects with StoreUnavailableError, which
   * the adapter answers with `refuseWhenStoreIsDown`.
   * `request` is what `authenticate` receives; `ip` the client address (see `clientAddress`); `body` the parsed
   * body, or undefined with `readBody` to read it only if the rate limits let the request through.
   */
  async function admit(request: T, route: RouteOptions, ip: string, body: unknown, readBody?: BodyReader): Promise<Admission> {
    assertRoute(route);
    const user = route.public ? undefined : (await options.authenticate?.(request)) ?? undefined;
    if (!route.public && !user?.id) return refusal(401, { error: 'unauthenticated', message: 'Sign in to use this endpoint.' });

    const rate = settings.rateLimit;
    const ipRequests = await increment(`ip:${limiterAddress(ip)}`, rate.perIp);
    if (ipRequests > rate.perIp.limit) {
      return refusal(429, { error: 'rate_limited', message: 'Too many requests from this address. Try again shortly.' }, retryAfter(rate.perIp));
    }
    if (user) {
      const userRequests = await increment(`user:${user.id}`, rate.perUser);
      if (userRequests > rate.perUser.limit) {
        return refusal(429, { error: 'rate_limited', message: 'Too many requests for this account. Try again shortly.' }, retryAfter(rate.perUser));
      }
    }

    let input = body;
    if (readBody) input = await readBody();
    if (input === BODY_TOO_LARGE) return refusal(413, { error: 'request_too_large', message: 'The request body is larger than any valid request.' });
    const parsed = validate(input);
    if (!parsed.success) return refusal(400, { error: 'invalid_request', issues: describeIssues(parsed.error) });

    const spend = await reserveSpend(user, parsed.data.messages, route.promptTokens);
    if (!spend.allowed) {
      const whose = spend.scope === 'app' ? 'The service' : 'Your account';
      return refusal(402, { error: 'spend_cap_reached', scope: spend.scope, message: `${whose} reached its daily AI spending limit. It resets at midnight UTC.` });
    }
    return { ok: true, input: parsed.data, ...paidCall(spend.reservation, { route: route.route, user, ip }) };
  }

  /** Thrown when the route is set up, not when a request comes: a private route needs `authenticate`. */
  function assertRoute(route: RouteOptions): void {
    if (!route.public && !options.authenticate) {
      throw new Error(`ai-guard: route "${route.route}" is not public, so the guard needs an authenticate function`);
    }
  }

  /** Largest body a valid request can have: text at 6 bytes a byte (JSON escapes), the non-text parts, slack. */
  const maxBodyBytes = limits.maxMessages * limits.maxMessageChars * 6 + limits.maxNonTextParts * limits.maxNonTextPartBytes + 64 * 1024;

  /** Counts one request in a sliding window and returns how many the window holds. */
  function increment(key: string, window: WindowLimit): Promise<number> {
    return reliably(store.increment(`rate:${key}`, window.windowMs, now()));
  }

  async function reserveSpend(user: GuardUser | undefined, messages: readonly ClientMessage[], promptTokens = 0): Promise<SpendDecision> {
    const day = utcDay(now());
    const micros = estimateMicros(settings.model, messages, promptTokens, limits.mediaPartTokens);
    const entries: CappedAmount[] = [];
    if (user) entries.push({ key: userSpendKey(day, user.id), amount: micros, cap: usdToMicros(settings.spend.perUserDailyCapUsd) });
    entries.push({ key: appSpendKey(day), amount: micros, cap: usdToMicros(settings.spend.dailyCapUsd) });
    const outcome = await reliably(store.reserve(entries, SPEND_TTL_MS));
    if (!outcome.ok) {
      const scope = outcome.refusedKey === appSpendKey(day) ? 'app' : 'user';
      return { allowed: false, scope, capUsd: scope === 'app' ? settings.spend.dailyCapUsd : settings.spend.perUserDailyCapUsd };
    }
    void checkAlerts(day, outcome.totals[outcome.totals.length - 1]);
    return { allowed: true, reservation: { day, keys: entries.map((e) => e.key), micros } };
  }

  /** The handle a route uses after the model call: settle from the real usage, or release. */
  function paidCall(reservation: Reservation, context: CallContext): PaidCall {
    let finished = false;
    const finish = async (outcome: AuditEntry['outcome'], usage: TokenUsage | undefined): Promise<void> => {
      if (finished) return;
      finished = true;
      const actual = outcome === 'released' ? 0 : usage ? costMicros(settings.model, usage.inputTokens, usage.outputTokens) : reservation.micros;
      audit({
        event: 'ai_call',
        time: new Date(now()).toISOString(),
        route: context.route,
        userId: context.user?.id ?? null,
        ip: context.ip,
        model: settings.model.id,
        outcome,
        inputTokens: usage?.inputTokens ?? null,
        outputTokens: usage?.outputTokens ?? null,
        estimatedCostUsd: microsToUsd(reservation.micros),
        costUsd: microsToUsd(actual),
      });
      const delta = actual - reservation.micros;
      if (delta === 0) return;
      try {
        const totals = await reliably(store.add(reservation.keys.map((key) => ({ key, amount: delta })), SPEND_TTL_MS));
        void checkAlerts(reservation.day, totals[totals.length - 1]);
      } catch (error) {
        // The reservation stays counted: one token per input byte and the whole output cap, never below the real cost.
        console.error('ai-guard: could not settle spend', error);
      }
    };
    return {
      user: context.user,
      settle: (usage: unknown) => {
        const tokens = tokenUsage(usage);
        return finish(tokens ? 'settled' : 'unreported', tokens);
      },
      release: () => finish('released', undefined),
    };
  }

  let previousDay: { day: string; micros: Promise<number> } | undefined;

  /** Alerts at most once per kind per day, whichever instance sees the crossing first. */
  async function checkAlerts(day: string, spentMicros: number | undefined): Promise<void> {
    if (spentMicros === undefined) return;
    try {
      const spentUsd = microsToUsd(spentMicros);
      const alerts: SpendAlert[] = [];
      if (previousDay?.day !== day) previousDay = { day, micros: reliably(store.get(appSpendKey(previousUtcDay(day)))) };
      const previousDayUsd = microsToUsd(await previousDay.micros);
      if (spentUsd >= settings.alerts.thresholdUsd) {
        alerts.push({ kind: 'threshold', day, spentUsd, thresholdUsd: settings.alerts.thresholdUsd, previousDayUsd });
      }
      const spikeUsd = previousDayUsd * settings.alerts.spikeFactor;
      if (previousDayUsd > 0 && spentUsd >= spikeUsd) {
        alerts.push({ kind: 'spike', day, spentUsd, thresholdUsd: spikeUsd, previousDayUsd });
      }
      for (const alert of alerts) {
        if (await reliably(store.claim(`alert:${day}:${alert.kind}`, SPEND_TTL_MS))) await notify(alert);
      }
    } catch (error) {
      previousDay = undefined;
      console.error('ai-guard: spend alert failed', error);
    }
  }

  /** Store calls either answer in time or become a StoreUnavailableError. */
  function reliably<R>(operation: Promise<R>): Promise<R> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${settings.storeTimeoutMs} ms`)), settings.storeTimeoutMs);
    });
    return Promise.race([operation, timeout])
      .catch((error: unknown) => {
        throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
      })
      .finally(() => clearTimeout(timer));
  }

  return { settings, model: settings.model, proxy: options.proxy ?? 'none', maxBodyBytes, admit, assertRoute, validate, increment, reserveSpend, paidCall };
}

export type GuardCore<T = unknown> = ReturnType<typeof createGuardCore<T>>;

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Token counts from an OpenAI, Anthropic or AI SDK usage object, or a response that carries one. */
export function tokenUsage(value: unknown): TokenUsage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const usage = value as Record<string, unknown>;
  const input = usage.prompt_tokens ?? usage.input_tokens ?? usage.inputTokens ?? usage.promptTokens;
  const output = usage.completion_tokens ?? usage.output_tokens ?? usage.outputTokens ?? usage.completionTokens;
  if (typeof input === 'number' && typeof output === 'number') return { inputTokens: input, outputTokens: output };
  return 'usage' in usage ? tokenUsage(usage.usage) : undefined;
}

/**
 * The most a request can cost: its text at one token per UTF-8 byte and the full output cap. A byte-level BPE
 * token (OpenAI's tokenizers; byte-fallback ones such as Llama's) covers at least one byte, so no text, in any
 * script, tokenizes to more tokens than it has bytes: for text the reservation is an upper bound, not an estimate.
 * Images and files count `mediaPartTokens` each, a figure to set for the model.
 */
export function estimateMicros(model: ModelConfig, messages: readonly ClientMessage[], promptTokens = 0, mediaPartTokens = DEFAULT_INPUT_LIMITS.mediaPartTokens): number {
  const inputTokens = messages.reduce((sum, message) => sum + messageTokenBound(message, mediaPartTokens), 0) + promptTokens;
  return costMicros(model, inputTokens, model.maxOutputTokens);
}

/** Cost in micro-dollars: a price per million tokens is a price in micro-dollars per token. */
export function costMicros(model: ModelConfig, inputTokens: number, outputTokens: number): number {
  return Math.ceil(inputTokens * model.inputUsdPerMillionTokens + outputTokens * model.outputUsdPerMillionTokens);
}

export function usdToMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

export function microsToUsd(micros: number): number {
  return micros / 1_000_000;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function previousUtcDay(day: string): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) - DAY_MS);
}

function appSpendKey(day: string): string {
  return `spend:${day}:app`;
}

function userSpendKey(day: string, userId: string): string {
  return `spend:${day}:user:${userId}`;
}

/**
 * The sliding-window estimate from two fixed windows: all of the current window's requests plus the share
 * of the previous window's that still falls inside the sliding span.
 */
export function slidingCount(current: number, previous: number, nowMs: number, windowMs: number): number {
  const elapsed = (nowMs % windowMs) / windowMs;
  return current + previous * (1 - elapsed);
}

/**
 * The client address. A forwarding header counts only behind the proxy the app declared, since a client can send
 * any of them; otherwise the connection's peer, when the framework knows it.
 */
export function clientAddress(proxy: ProxyConfig, headers: HeaderBag, peer: string | undefined): string {
  const web = headers instanceof Headers ? headers : undefined;
  const node = headers instanceof Headers ? undefined : headers;
  // Each header read by its own name, so that what is read where stays plain to a reader.
  if (proxy === 'cloudflare') return headerValue(web ? web.get('cf-connecting-ip') : node?.['cf-connecting-ip']) ?? peer ?? UNKNOWN_CLIENT;
  if (proxy === 'vercel') return headerValue(web ? web.get('x-real-ip') : node?.['x-real-ip']) ?? peer ?? UNKNOWN_CLIENT;
  if (proxy === 'netlify') return headerValue(web ? web.get('x-nf-client-connection-ip') : node?.['x-nf-client-connection-ip']) ?? peer ?? UNKNOWN_CLIENT;
  if (typeof proxy === 'object') return forwardedClient(web ? web.get('x-forwarded-for') : node?.['x-forwarded-for'], proxy.forwardedForHops) ?? peer ?? UNKNOWN_CLIENT;
  return peer ?? UNKNOWN_CLIENT;
}

/** Request headers as the web `Headers` or as Node's lower-cased record. */
export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

/** The address of a client the app cannot tell apart from the others: they all share its per-IP bucket. */
export const UNKNOWN_CLIENT = 'unknown';

/** The 503 answer when the store is down: the model is never called while the limits cannot be checked. */
export function refuseWhenStoreIsDown(error: unknown): Refusal {
  if (error instanceof StoreUnavailableError) return refusal(503, STORE_UNAVAILABLE_BODY);
  throw error;
}

function refusal(status: number, body: object, headers: Record<string, string> = {}): Refusal {
  return { ok: false, status, body, headers };
}

function retryAfter(window: WindowLimit): Record<string, string> {
  return { 'Retry-After': String(Math.ceil(window.windowMs / 1000)) };
}

/** The client entry of an `X-Forwarded-For` value behind `hops` trusted proxies, each appending one entry. */
export function forwardedClient(header: string | string[] | null | undefined, hops: number): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value || hops < 1) return undefined;
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  return entries.length >= hops ? entries[entries.length - hops] : entries[0];
}

/**
 * The address a per-IP limit counts: IPv4 as is, IPv6 by its /64 network, since one subscriber usually
 * holds a whole /64 and could otherwise take a fresh address for every request.
 */
export function limiterAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const address = ip.split('%')[0].toLowerCase();
  const [head, tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = Array<string>(Math.max(8 - headGroups.length - tailGroups.length, 0)).fill('0');
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The first value of a header that Node may have delivered as a list. */
export function headerValue(header: string | string[] | null | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim() || undefined;
}

/** A short, safe summary of validation problems for the 400 answer. */
export function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return error.issues.slice(0, 5).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
