/**
 * The JSON report: a public, versioned-by-shape contract for scripts and dashboards.
 *
 * Locations are flattened (`file`, `line`, …) rather than nested, facts are summarised per protection,
 * and every list is sorted so that two scans of the same code produce byte-identical output.
 */

import { jsonPieces } from './json-stream.js';
import type {
  ConfigEffect,
  AiCall,
  AuthFact,
  Confidence,
  Endpoint,
  Finding,
  Framework,
  InputBound,
  ProtectionKind,
  RateLimitKey,
  ScanError,
  ScanResult,
  SkippedFileMention,
  SkipReason,
  Exposure,
  Severity,
} from '../model.js';
import {
  compareByLocation,
  compareEndpoints,
  compareErrors,
  compareFindings,
  sorted,
} from '../findings/order.js';

export interface JsonAiCall {
  file: string;
  line: number;
  provider: string;
  api: string;
  model?: string;
}

export interface JsonAuthVia {
  kind: AuthFact['kind'];
  description: string;
  file: string;
  line: number;
}

export interface JsonRateLimiter {
  library: string;
  key: RateLimitKey;
  description: string;
  file: string;
  line: number;
  /** Where the limiter's key is computed, when the scanner traced it. */
  keyFile?: string;
  keyLine?: number;
  /** Present when the limiter runs only under an environment condition: the condition's text. */
  conditional?: string;
}

export interface JsonSpendCheck {
  description: string;
  file: string;
  line: number;
}

export interface JsonUnboundedInput {
  argument: string;
  missing: InputBound[];
  file: string;
  line: number;
}

/** An element before the paid call the scanner could not see into. */
export interface JsonUnseen {
  name: string;
  description: string;
  file: string;
  line: number;
}

/**
 * `present`: a protection was found; `absent`: the whole path was seen and none is there; `unknown`: none was
 * found but an element listed in `unseen` may provide it.
 */
export type ProtectionStatus = 'present' | 'absent' | 'unknown';

export interface JsonEndpoint {
  id: string;
  framework: Framework;
  method: string;
  path: string;
  file: string;
  line: number;
  /** `unresolved`: the route's router is mounted where the scanner could not follow; `path` is relative to it. */
  mount?: 'unresolved';
  aiCalls: JsonAiCall[];
  protections: {
    /** `presenceOnly`: checks that only test a credential is present; they do not count as `present`. */
    auth: { present: boolean; status: ProtectionStatus; via: JsonAuthVia[]; unseen?: JsonUnseen[]; presenceOnly?: JsonAuthVia[] };
    rateLimit: { present: boolean; status: ProtectionStatus; limiters: JsonRateLimiter[]; unseen?: JsonUnseen[] };
    spendCap: { present: boolean; status: ProtectionStatus; checks: JsonSpendCheck[]; unseen?: JsonUnseen[] };
    inputBounds: { bounded: boolean; unbounded: JsonUnboundedInput[] };
    costParameters: { fixed: boolean; fromRequest: { parameter: string; file: string; line: number }[] };
    outputCap: { capped: boolean; uncapped: { file: string; line: number }[] };
  };
  /** Present when the owner declared the route public on purpose (inline comment or config). */
  declaredPublic?: { reason: string; source: 'inline' | 'config'; file?: string; line?: number };
  /** What an abuser can spend through the endpoint in 24 hours, with the assumptions behind it. */
  exposure?: Exposure;
  /** Paid calls whose unit (characters, audio, images...) the price table does not price. */
  priceUnknown?: string[];
}

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  endpointId: string | null;
  related: { file: string; line: number; message: string }[];
  fingerprint: string;
  help: string;
  /** `high` when the whole path before the paid call was seen; lower when an element not seen into may hold the protection. */
  confidence: Confidence;
  /** Present when the confidence is not `high`: the elements not seen into. */
  confidenceReason?: string;
  /** Only in `suppressedFindings`: why the finding does not count. */
  suppressed?: { kind: 'inSource' | 'external'; justification: string };
}

export interface JsonError {
  file?: string;
  line?: number;
  kind: ScanError['kind'];
  message: string;
  mentions?: SkippedFileMention[];
}

export interface JsonReport {
  tool: { name: string; version: string };
  root: string;
  endpoints: JsonEndpoint[];
  findings: JsonFinding[];
  /** Findings silenced by an inline suppression or a public-route declaration, with the justification. */
  suppressedFindings: JsonFinding[];
  errors: JsonError[];
  stats: { files: number; analyzedFiles: number; skippedFiles: Partial<Record<SkipReason, number>>; durationMs: number };
  /** Paid call sites in application code that no endpoint found reaches, with file and line. */
  unlinkedAiCalls: JsonAiCall[];
  /** What the config file changed, or null when the scan used none. */
  config: ConfigEffect | null;
}

function aiCall(call: AiCall): JsonAiCall {
  const out: JsonAiCall = {
    file: call.location.file,
    line: call.location.line,
    provider: call.provider,
    api: call.api,
  };
  if (call.model !== undefined) out.model = call.model;
  return out;
}

function presenceOnly(e: Endpoint): { presenceOnly?: JsonAuthVia[] } {
  const checks = e.facts.presenceOnlyAuth ?? [];
  if (checks.length === 0) return {};
  return { presenceOnly: sorted(checks, compareByLocation).map(authVia) };
}

function authVia(f: AuthFact): JsonAuthVia {
  return { kind: f.kind, description: f.description, file: f.location.file, line: f.location.line };
}

function endpoint(e: Endpoint): JsonEndpoint {
  const via = sorted(e.facts.auth, compareByLocation).map(authVia);
  const limiters = sorted(e.facts.rateLimits, compareByLocation).map((f): JsonRateLimiter => {
    const out: JsonRateLimiter = {
      library: f.library,
      key: f.key,
      description: f.description,
      file: f.location.file,
      line: f.location.line,
    };
    if (f.keyLocation) {
      out.keyFile = f.keyLocation.file;
      out.keyLine = f.keyLocation.line;
    }
    if (f.conditional) out.conditional = f.conditional;
    return out;
  });
  const checks = sorted(e.facts.spendCaps, compareByLocation).map(
    (f): JsonSpendCheck => ({ description: f.description, file: f.location.file, line: f.location.line }),
  );
  const unbounded = sorted(e.facts.unboundedInputs, compareByLocation).map(
    (f): JsonUnboundedInput => ({
      argument: f.argument,
      missing: [...f.missing],
      file: f.location.file,
      line: f.location.line,
    }),
  );
  return {
    id: e.id,
    framework: e.framework,
    method: e.method,
    path: e.path,
    file: e.location.file,
    line: e.location.line,
    ...(e.mount ? { mount: e.mount } : {}),
    aiCalls: sorted(e.aiCalls, compareByLocation).map(aiCall),
    protections: {
      auth: { present: via.length > 0, ...protectionStatus(e, 'auth', via.length > 0), via, ...presenceOnly(e) },
      rateLimit: { present: limiters.length > 0, ...protectionStatus(e, 'rateLimit', limiters.length > 0), limiters },
      spendCap: { present: checks.length > 0, ...protectionStatus(e, 'spendCap', checks.length > 0), checks },
      inputBounds: { bounded: unbounded.length === 0, unbounded },
      costParameters: {
        fixed: e.facts.clientParams.length === 0,
        fromRequest: sorted(e.facts.clientParams, compareByLocation).map((p) => ({ parameter: p.parameter, file: p.location.file, line: p.location.line })),
      },
      outputCap: {
        capped: e.facts.uncappedOutputs.length === 0,
        uncapped: sorted(e.facts.uncappedOutputs, compareByLocation).map((u) => ({ file: u.location.file, line: u.location.line })),
      },
    },
    ...(e.exposure ? { exposure: { ...e.exposure, assumptions: [...e.exposure.assumptions] } } : {}),
    ...(e.priceUnknown ? { priceUnknown: [...e.priceUnknown] } : {}),
    ...(e.declaredPublic
      ? {
          declaredPublic: {
            reason: e.declaredPublic.reason,
            source: e.declaredPublic.source,
            ...(e.declaredPublic.location ? { file: e.declaredPublic.location.file, line: e.declaredPublic.location.line } : {}),
          },
        }
      : {}),
  };
}

/** A protection not found is `unknown` while an element not seen into may provide it; those elements listed. */
function protectionStatus(e: Endpoint, kind: ProtectionKind, present: boolean): { status: ProtectionStatus; unseen?: JsonUnseen[] } {
  if (present) return { status: 'present' };
  const unseen = sorted(e.facts.unseen.filter((u) => u.mayProvide.includes(kind)), compareByLocation);
  if (unseen.length === 0) return { status: 'absent' };
  return { status: 'unknown', unseen: unseen.map((u) => ({ name: u.name, description: u.description, file: u.location.file, line: u.location.line })) };
}

function finding(f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.location.file,
    line: f.location.line,
    column: f.location.column,
    endLine: f.location.endLine,
    endColumn: f.location.endColumn,
    endpointId: f.endpointId ?? null,
    // Related evidence keeps the rule's order: it reads as a narrative.
    related: f.related.map((r) => ({ file: r.location.file, line: r.location.line, message: r.description })),
    fingerprint: f.fingerprint,
    help: f.help,
    confidence: f.confidence ?? 'high',
    ...(f.confidenceReason && f.confidence && f.confidence !== 'high' ? { confidenceReason: f.confidenceReason } : {}),
    ...(f.suppressed ? { suppressed: { kind: f.suppressed.kind, justification: f.suppressed.justification } } : {}),
  };
}

function error(e: ScanError): JsonError {
  return {
    ...(e.file !== undefined ? { file: e.file } : {}),
    ...(e.line !== undefined ? { line: e.line } : {}),
    kind: e.kind,
    message: e.message,
    ...(e.mentions ? { mentions: e.mentions } : {}),
  };
}

/** The report as a plain object, for callers that want to post-process it before serialising. */
export function toJsonReport(result: ScanResult): JsonReport {
  return {
    tool: { name: result.tool.name, version: result.tool.version },
    root: result.root,
    endpoints: sorted(result.endpoints, compareEndpoints).map(endpoint),
    findings: sorted(result.findings.filter((f) => !f.suppressed), compareFindings).map(finding),
    suppressedFindings: sorted(result.findings.filter((f) => f.suppressed), compareFindings).map(finding),
    errors: sorted(result.errors, compareErrors).map(error),
    stats: {
      files: result.stats.files,
      analyzedFiles: result.stats.analyzedFiles,
      skippedFiles: result.stats.skippedFiles ?? {},
      durationMs: result.stats.durationMs,
    },
    unlinkedAiCalls: sorted(result.unlinkedAiCalls ?? [], compareByLocation).map(aiCall),
    config: result.config ?? null,
  };
}

/** The JSON report: 2-space indented, with a trailing newline. */
export function renderJson(result: ScanResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}

/** The JSON report in pieces that join to `renderJson`'s text, for reports too large to be one string. */
export function* renderJsonPieces(result: ScanResult): Generator<string> {
  yield* jsonPieces(toJsonReport(result));
  yield '\n';
}
