/**
 * The facts model: the seam where every stage of the pipeline meets.
 *
 *   discover → index → parse → endpoints → ai calls → reach → facts → rules → filter → report
 *
 * Frameworks and providers produce `Endpoint`s and `AiCall`s; the analyses fill in
 * `EndpointFacts`; rules read facts and produce `Finding`s; reporters format a `ScanResult`.
 * Everything here is plain data: no AST nodes cross this boundary.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Severity order, most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/** A span in a scanned file. `file` is relative to the scanned root, POSIX separators; 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** `file:line:column`: one key per place, for telling places apart. */
export function placeKey(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** A location with a sentence saying why it matters. */
export interface Evidence {
  location: SourceLocation;
  description: string;
}

/**
 * The name of the framework plugin that found an endpoint (`src/frameworks/`): `express`, `nextjs-app`,
 * `nextjs-server-action`, `trpc`, `cloudflare-pages`... The registry is the list; a new plugin adds a name.
 */
export type Framework = string;


/** A paid model call reached from an endpoint. */
export interface AiCall {
  location: SourceLocation;
  /** SDK family, e.g. `openai`, `anthropic`, `vercel-ai`, `http`. */
  provider: string;
  /** The API called, e.g. `chat.completions.create`, `streamText`, `POST api.openai.com/v1/chat/completions`. */
  api: string;
  /** The model id when it is a literal the scanner could read. */
  model?: string;
}

/** What a rate limiter's key traces back to. `client` means the caller can rotate it at will. */
export type RateLimitKey = 'ip' | 'user' | 'global' | 'client' | 'unknown';

export interface AuthFact extends Evidence {
  /** How the endpoint is protected: a middleware on its chain, a check inside the handler, or a Next.js middleware. */
  kind: 'middleware' | 'handler-check' | 'next-middleware';
}

export interface RateLimitFact extends Evidence {
  /** The library or shape recognised, e.g. `express-rate-limit`, `@upstash/ratelimit`, `counter`. */
  library: string;
  key: RateLimitKey;
  /** Where the key is computed, when the scanner traced it. */
  keyLocation?: SourceLocation;
  keyDescription?: string;
  /** Requests one key may make per day, when the limiter's window and limit are static. */
  requestsPerDay?: number;
  /** Set when the limiter runs only under an environment condition (its text): `process.env.UPSTASH_REDIS_REST_URL`. */
  conditional?: string;
}

export interface SpendCapFact extends Evidence {}

/** A limit that request-derived model input must have before it reaches the model. */
export type InputBound = 'array-length' | 'item-size' | 'roles';

/** A request-derived argument of a paid call that is missing one or more bounds. */
export interface UnboundedInputFact extends Evidence {
  /** The argument of the AI call, e.g. `messages`, `prompt`. */
  argument: string;
  missing: InputBound[];
}

/** A cost parameter of the paid call (model, output-token cap, n...) taken from the request. */
export interface ClientParamFact extends Evidence {
  parameter: string;
}

/** A protection an element on the route's path may provide. */
export type ProtectionKind = 'auth' | 'rateLimit' | 'spendCap';

/**
 * Something before the paid call the analysis could not see into: a middleware or wrapper from a package it
 * does not know, a value it could not resolve, a call into such a package whose name speaks of a protection.
 */
export interface UnseenElement extends Evidence {
  /** As written in the code, e.g. `requireAuth()` or `withTeamAccess`. */
  name: string;
  /** What it may provide: what its name says, or every protection when the name says nothing. */
  mayProvide: ProtectionKind[];
  /** The name says it provides these (`requireAuth` → auth), rather than nothing in particular. */
  named: boolean;
}

/** A paid call whose options set no output-token limit, with the provider it goes to. */
export interface UncappedOutput extends Evidence {
  provider: string;
}

export interface EndpointFacts {
  /** Checks that verify the caller: a signature, a session looked up server-side, a secret compared. */
  auth: AuthFact[];
  /** Auth checks that only test that a credential the client sends is present (any string passes): not in `auth`. */
  presenceOnlyAuth?: AuthFact[];
  rateLimits: RateLimitFact[];
  spendCaps: SpendCapFact[];
  /** Spend checks that let the paid call go ahead when the check throws or its store is down. */
  failOpenSpendCaps: Evidence[];
  unboundedInputs: UnboundedInputFact[];
  clientParams: ClientParamFact[];
  /** Paid calls whose options, as written, set no output-token limit. */
  uncappedOutputs: UncappedOutput[];
  /** Elements before the paid call the analysis could not see into: a missing protection may be there. */
  unseen: UnseenElement[];
}

/** What an abuser can spend through an endpoint in 24 hours, and the assumptions behind the figure. */
export interface Exposure {
  usdPerDay: number;
  /** `~$47,000` */
  display: string;
  /** The price entry used (the provider's most expensive model when the client picks it). */
  model: string;
  inputTokens: number;
  outputTokens: number;
  requestsPerDay: number;
  /** The date the model's price was checked. */
  priceDate: string;
  assumptions: string[];
  /** USD one worst-case request costs with `model`: the first factor of `usdPerDay`. */
  usdPerRequest?: number;
  /** How `requestsPerDay` was reached: the limiter that bounds it, or the attack rate assumed. */
  rate?: string;
  /** Client addresses an attacker is assumed to control, and where the figure came from. */
  attackerIps?: { value: number; source: 'config' | 'default' };
  /** Accounts an attacker is assumed to open (`unbounded` with free sign-up), and where the figure came from. */
  attackerAccounts?: { value: number | 'unbounded'; source: 'config' | 'default' };
  /** A daily spend cap that fails closed, with its amount: `applied` when it lowered `usdPerDay` to `usd`. */
  dailySpendCap?: { usd: number; file: string; line: number; applied: boolean };
  /**
   * The model is the client's choice or not in the price table: the provider's cheapest and costliest listed
   * models; `usdPerDay` and `model` are the costliest end.
   */
  priceRange?: { cheapest: PricedModelEnd; costliest: PricedModelEnd };
}

/** One end of an exposure's price range. */
export interface PricedModelEnd {
  model: string;
  usdPerRequest: number;
  usdPerDay: number;
}

/** An owner's declaration that a route is public on purpose. */
export interface PublicDeclaration {
  reason: string;
  source: 'inline' | 'config';
  location?: SourceLocation;
}

/** Facts about the whole project rather than one endpoint. */
export interface ProjectFacts {
  /** Hard-coded provider keys, keys read from browser-exposed env vars, SDK clients built for the browser. */
  exposedKeys: Evidence[];
  /** Does the project read token usage of its paid calls anywhere? */
  usageTracked: boolean;
}

/** An entry point a remote client can call that reaches at least one paid AI call. */
export interface Endpoint {
  /** Stable id: `<METHOD> <path> (<file>)`. */
  id: string;
  framework: Framework;
  /** Upper-case HTTP method, or `ALL`. */
  method: string;
  /** The URL path as the framework routes it, e.g. `/api/chat`. */
  path: string;
  /** The route registration or handler declaration. */
  location: SourceLocation;
  /**
   * `unresolved` when the router or app holding the route is mounted somewhere the scanner could not follow
   * (a loop over a folder, a computed prefix): `path` is then relative to that router.
   */
  mount?: 'unresolved';
  aiCalls: AiCall[];
  /**
   * What stands before each analysed paid call, one entry per call reached, in reach order (a call reached along
   * two paths has two). The rules judge these.
   */
  callFacts: EndpointFacts[];
  /** The protections the reports show: per protection, the least protected call's (rules/least-protected.ts). */
  facts: EndpointFacts;
  /** Set when the owner declared the route public on purpose. */
  declaredPublic?: PublicDeclaration;
  /** The 24-hour dollar exposure, when the scanner could price the paid call. */
  exposure?: Exposure;
  /**
   * Paid calls billed in a unit the price table holds no figure for (`elevenlabs textToSpeech.convert,
   * billed by characters`): their cost is unknown, not estimated, and left out of `exposure`.
   */
  priceUnknown?: string[];
  /**
   * The files of the route's chain, whether or not they supplied a protection: where each layer and the handler
   * were registered (`registration`), and the files of the functions they resolve to (`function`). A change
   * there, or to a file a layer function imports, can change the endpoint's findings (`--changed-since`).
   */
  layerFiles?: LayerFile[];
}

export interface LayerFile {
  file: string;
  via: 'registration' | 'function';
}

/** Rule metadata, a public contract: ids never change. */
export interface RuleMeta {
  id: string;
  /** PascalCase name for SARIF, e.g. `NoAuth`. */
  name: string;
  severity: Severity;
  shortDescription: string;
  fullDescription: string;
  /** One line: what to do about it. */
  fix: string;
  /** Markdown documentation: what, why, how to fix (before/after), how to suppress. */
  helpMarkdown: string;
  tags: string[];
  /** CWE ids the rule's findings are an instance of, e.g. `CWE-306`. */
  cwe?: string[];
  /** OWASP Top 10 for LLM Applications entries, e.g. `LLM10:2025` (Unbounded Consumption). */
  owasp?: string[];
  /** How often the rule's findings are true, as measured (SARIF `precision`). */
  precision?: 'very-high' | 'high' | 'medium' | 'low';
  /** The rule's documentation page. */
  helpUri?: string;
  /**
   * The protection whose absence the rule reports: its findings are less confident when an element the
   * analysis could not see into may provide it.
   */
  protection?: ProtectionKind;
}

/**
 * How sure a finding is: `high` when the whole path before the paid call was seen, `medium` when an element
 * the analysis could not see into may provide the protection, `low` when that element's name says it does.
 */
export type Confidence = 'high' | 'medium' | 'low';

/** Confidence order, most confident first. */
export const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

/** A finding as a rule produces it, before fingerprints and filtering. */
export interface FindingDraft {
  location: SourceLocation;
  message: string;
  endpointId?: string;
  related: Evidence[];
  /** `high` when absent. */
  confidence?: Confidence;
  /** Why the confidence is lower: the elements not seen into. */
  confidenceReason?: string;
}

export interface Rule {
  meta: RuleMeta;
  /** Pure policy over one endpoint's facts, every finding it reports for the endpoint (the built-in rules report one at most). A rule never walks the AST. */
  checkEndpoint?(endpoint: Endpoint): FindingDraft[];
  /** Policy over project-wide facts (and the endpoint list), for rules not tied to one route. */
  checkProject?(project: ProjectFacts, endpoints: readonly Endpoint[]): FindingDraft[];
}

/** Why a finding does not count: an inline suppression or a declared public route. */
export interface Suppression {
  kind: 'inSource' | 'external';
  justification: string;
}

export interface Finding extends FindingDraft {
  ruleId: string;
  severity: Severity;
  /** Survives edits above the code: rule, endpoint, file and the code at the location, not the line number. */
  fingerprint: string;
  /** Hash of the primary line's text as GitHub's upload action computes it (`primaryLocationLineHash`). */
  lineHash: string;
  help: string;
  /** Present when the finding is suppressed: it stays in JSON and SARIF, out of the text report and exit code. */
  suppressed?: Suppression;
}

/** A per-file or tool problem. The scan goes on after per-file problems. */
export interface ScanError {
  file?: string;
  line?: number;
  kind:
    | 'syntax'
    | 'encoding'
    | 'unreadable'
    | 'too-large'
    | 'too-deep'
    | 'binary'
    | 'minified'
    | 'symlink'
    | 'missing-path'
    | 'suppression'
    | 'budget'
    | 'internal';
  message: string;
  /**
   * For a source file that was skipped (minified, too large): what its text mentions that could make it an
   * entry point, so the report can say that routes may have gone unanalysed.
   */
  mentions?: SkippedFileMention[];
}

export type SkippedFileMention = 'route' | 'ai-sdk';

/** Why a source file was not analysed. */
export type SkipReason =
  | 'gitignored'
  | 'build-output'
  | 'ignored'
  | 'declaration'
  | 'generated'
  | 'minified'
  | 'too-large'
  | 'binary'
  | 'unreadable'
  | 'symlink';

export interface ScanStats {
  /** Source files discovered. */
  files: number;
  /** Files that went through the deep (AST) stage. */
  analyzedFiles: number;
  /** Source files under the scanned paths that were not analysed, by reason (reasons with none are left out). */
  skippedFiles?: Partial<Record<SkipReason, number>>;
  durationMs: number;
}

export interface ScanResult {
  tool: { name: string; version: string };
  /** Absolute path of the scanned root. */
  root: string;
  endpoints: Endpoint[];
  findings: Finding[];
  errors: ScanError[];
  stats: ScanStats;
  /** Every rule that ran, for reporters that list rules (SARIF). */
  rules: RuleMeta[];
  /**
   * Paid call sites in application code that no endpoint the scan found reaches (scripts, tests and mocks
   * excluded): what the tool could not connect to a route, shown instead of left out.
   */
  unlinkedAiCalls?: AiCall[];
  /** What the config file changed, when one was used: a config in the scanned tree never acts unseen. */
  config?: ConfigEffect;
}

/** What a config file did to a scan. */
export interface ConfigEffect {
  /** The file, relative to the scanned root when inside it (POSIX separators), else absolute. */
  file: string;
  /** Rules the file turned off. */
  disabledRules: string[];
  /** Rules whose severity the file changed, with the new severity. */
  severityOverrides: Record<string, Severity>;
  /** The file's `ignore` globs, and how many source files they left out. */
  ignoredGlobs: string[];
  ignoredFiles: number;
  /** The file's `publicRoutes` globs, the endpoints they declared public and the findings that silenced. */
  publicRoutes: string[];
  publicEndpoints: number;
  suppressedFindings: number;
  /** Project functions the file names as protections or AI wrappers, by kind (kinds with none left out). */
  customFunctions: Partial<Record<'auth' | 'rateLimiters' | 'spendCaps' | 'aiWrappers', string[]>>;
  /** The exit thresholds the file set, when no command-line flag overrode them. */
  failOn?: Severity | 'none';
  minConfidence?: Confidence;
  /** The exposure assumptions the file set (`exposure.attackerIps`, `exposure.attackerAccounts`). */
  exposure?: { attackerIps?: number; attackerAccounts?: number | 'unbounded' };
}
