/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).
 *
 * What GitHub relies on, and how it is provided here:
 * - Rules carry `security-severity` (a number as a string) and a `security` tag, so alerts are shown
 *   with a security severity (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low otherwise).
 * - Result locations are repo-relative URIs against `%SRCROOT%`, whose absolute value is recorded in
 *   `originalUriBaseIds` for other consumers.
 * - `partialFingerprints.primaryLocationLineHash` is the value GitHub's upload would compute itself;
 *   `fingerprints` carries our own id, which survives lines moving.
 * - Per-file problems become tool execution notifications; they do not fail the run.
 */

import { jsonPieces } from './json-stream.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import type { ConfigEffect, Confidence, Evidence, Finding, RuleMeta, ScanError, ScanResult, Severity, SourceLocation } from '../model.js';
import { lineHashes } from '../findings/fingerprint.js';
import { compareErrors, compareFindings, compareStrings, sorted } from '../findings/order.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'ai-endpoint-audit';
export const TOOL_INFORMATION_URI = 'https://github.com/ai-endpoint-audit/ai-endpoint-audit';
export const SRCROOT = '%SRCROOT%';
/** Key of our own fingerprint in `result.fingerprints`. Bump the version if its recipe changes. */
export const FINGERPRINT_KEY = 'aiEndpointAudit/v1';

export type SarifLevel = 'error' | 'warning' | 'note';

export const SARIF_LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub maps these to its own bands: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

// ---- SARIF object shapes (the subset this reporter writes) ----

interface SarifMessage {
  text: string;
  markdown?: string;
}

interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId: string };
  region?: SarifRegion;
}

interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: SarifMessage;
}

interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: {
    tags: string[];
    'security-severity': string;
    precision: 'very-high' | 'high' | 'medium' | 'low';
  };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints?: { primaryLocationLineHash: string };
  fingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource' | 'external'; status: 'accepted'; justification: string }[];
  /** `confidence`: high, medium or low; `confidenceReason` when it is not high. */
  properties: { confidence: Confidence; confidenceReason?: string };
}

interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  descriptor: { id: string };
  locations?: SarifLocation[];
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        semanticVersion?: string;
        informationUri: string;
        rules: SarifReportingDescriptor[];
      };
    };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: SarifNotification[] }[];
    originalUriBaseIds: Record<string, { uri: string; description?: SarifMessage }>;
    results: SarifResult[];
    columnKind: 'utf16CodeUnits';
    /** What the config file changed, when one was used. */
    properties?: { config: ConfigEffect };
  }[];
}

// ---- building blocks ----

/** A scanned file's relative POSIX path as a relative URI reference (each segment percent-encoded). */
export function fileUri(file: string): string {
  const trimmed = file.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  return trimmed.split('/').map(encodeURIComponent).join('/');
}

/** The scanned root as an absolute `file:` URI ending with a slash, as `originalUriBaseIds` requires. */
export function rootUri(root: string): string {
  const href = pathToFileURL(path.resolve(root)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function positive(value: number, fallback: number): number {
  return Number.isInteger(value) && value >= 1 ? value : fallback;
}

/** A region that is internally consistent even if the scanner handed over an inverted span. */
function region(location: SourceLocation): SarifRegion {
  const startLine = positive(location.line, 1);
  const startColumn = positive(location.column, 1);
  let endLine = positive(location.endLine, startLine);
  let endColumn = positive(location.endColumn, startColumn);
  if (endLine < startLine || (endLine === startLine && endColumn < startColumn)) {
    endLine = startLine;
    endColumn = startColumn;
  }
  return { startLine, startColumn, endLine, endColumn };
}

/**
 * Where result URIs are relative to: the repository's top level when the scanned root lies inside one, so code
 * scanning places results from a sub-folder scan (a workflow's `working-directory`); else the scanned root.
 */
interface UriBase {
  /** The absolute folder `%SRCROOT%` stands for. */
  dir: string;
  /** The scanned root relative to it, as a URI path prefix ending in `/`, or empty. */
  prefix: string;
}

function uriBase(root: string, repositoryRoot: string | undefined): UriBase {
  const relative = repositoryRoot ? path.relative(repositoryRoot, root) : '';
  if (!repositoryRoot || relative.startsWith('..') || path.isAbsolute(relative)) return { dir: root, prefix: '' };
  return { dir: repositoryRoot, prefix: relative === '' ? '' : `${fileUri(relative.split(path.sep).join('/'))}/` };
}

function physicalLocation(location: SourceLocation, base: UriBase): SarifPhysicalLocation {
  return {
    artifactLocation: { uri: base.prefix + fileUri(location.file), uriBaseId: SRCROOT },
    region: region(location),
  };
}

function relatedLocation(evidence: Evidence, id: number, base: UriBase): SarifLocation {
  return { id, physicalLocation: physicalLocation(evidence.location, base), message: { text: evidence.description } };
}

/**
 * A rule's descriptor. Its tags carry the CWE ids the way GitHub code scanning reads them (`external/cwe/cwe-306`)
 * and the OWASP LLM entries (`external/owasp-llm/llm10:2025`).
 */
function descriptor(meta: RuleMeta): SarifReportingDescriptor {
  const classification = [
    ...(meta.cwe ?? []).map((id) => `external/cwe/${id.toLowerCase()}`),
    ...(meta.owasp ?? []).map((id) => `external/owasp-llm/${id.toLowerCase()}`),
  ];
  const tags = [...new Set(['security', ...meta.tags, ...classification])];
  return {
    id: meta.id,
    name: meta.name,
    shortDescription: { text: meta.shortDescription },
    fullDescription: { text: meta.fullDescription },
    help: { text: `${meta.fullDescription}\n\nFix: ${meta.fix}`, markdown: meta.helpMarkdown },
    ...(meta.helpUri ? { helpUri: meta.helpUri } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
    properties: { tags, 'security-severity': SECURITY_SEVERITY[meta.severity], precision: meta.precision ?? 'high' },
  };
}

/** `no-rate-limit` → `NoRateLimit`. */
function pascalCase(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  return name === id || name === '' ? `Rule${name}` : name;
}

/**
 * Metadata for a rule that produced findings but is missing from `result.rules`, so that every result
 * still points at a descriptor GitHub can display.
 */
function placeholderRule(finding: Finding): RuleMeta {
  const text = `Finding reported by the ${finding.ruleId} rule.`;
  return {
    id: finding.ruleId,
    name: pascalCase(finding.ruleId),
    severity: finding.severity,
    shortDescription: text,
    fullDescription: text,
    fix: finding.help,
    helpMarkdown: finding.help,
    tags: [],
  };
}

function notificationLevel(kind: ScanError['kind']): SarifLevel {
  return kind === 'internal' ? 'error' : 'warning';
}

function notification(error: ScanError, base: UriBase): SarifNotification {
  const out: SarifNotification = {
    level: notificationLevel(error.kind),
    message: { text: error.message },
    descriptor: { id: error.kind },
  };
  if (error.file !== undefined) {
    const location: SarifPhysicalLocation = {
      artifactLocation: { uri: base.prefix + fileUri(error.file), uriBaseId: SRCROOT },
    };
    if (error.line !== undefined && Number.isInteger(error.line) && error.line >= 1) {
      location.region = { startLine: error.line };
    }
    out.locations = [{ physicalLocation: location }];
  }
  return out;
}

/** Reads and hashes each file once; `undefined` when its text is unavailable. */
function lineHashSource(
  root: string,
  fileTexts: ((file: string) => string | undefined) | undefined,
): (file: string) => string[] | undefined {
  const cache = new Map<string, string[] | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    let text = fileTexts?.(file);
    if (text === undefined) {
      try {
        text = readFileSync(path.join(root, file), 'utf8');
      } catch {
        text = undefined;
      }
    }
    const hashes = text === undefined ? undefined : lineHashes(text);
    cache.set(file, hashes);
    return hashes;
  };
}

// ---- the log ----

/**
 * The SARIF log as an object. `fileTexts` supplies file contents (by the finding's relative path) for
 * `primaryLocationLineHash`; it must return the text exactly as on disk (byte-order mark and line
 * endings kept), because that is what GitHub hashes. Files it does not supply are read from `root`.
 * When neither works, the hash the scanner stored on the finding (`Finding.lineHash`) is used if it has
 * one, and otherwise the field is left out (GitHub's upload then computes it from the checkout).
 */
export interface SarifOptions {
  /** The repository's top level: result URIs are made relative to it when the scanned root lies inside. */
  repositoryRoot?: string;
}

export function toSarif(
  result: ScanResult,
  fileTexts?: (file: string) => string | undefined,
  options: SarifOptions = {},
): SarifLog {
  const findings = sorted(result.findings, compareFindings);
  const base = uriBase(result.root, options.repositoryRoot);

  // Rules: every rule that ran, plus placeholders for any rule that reported without metadata.
  const metas = new Map<string, RuleMeta>();
  for (const meta of result.rules) if (!metas.has(meta.id)) metas.set(meta.id, meta);
  for (const finding of findings) if (!metas.has(finding.ruleId)) metas.set(finding.ruleId, placeholderRule(finding));
  const rules = [...metas.values()].sort((a, b) => compareStrings(a.id, b.id));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));

  const hashesFor = lineHashSource(result.root, fileTexts);

  const results = findings.map((finding): SarifResult => {
    const whole = physicalLocation(finding.location, base);
    const spansLines = whole.region!.endLine !== undefined && whole.region!.endLine > whole.region!.startLine;
    // Code scanning shows a result at its region's last line: a route spanning its handler is placed on its first
    // line, and the whole span follows as a related location.
    const primary = spansLines ? { ...whole, region: { startLine: whole.region!.startLine, startColumn: whole.region!.startColumn } } : whole;
    const related = [
      ...finding.related.map((evidence, i) => relatedLocation(evidence, i + 1, base)),
      ...(spansLines ? [{ id: finding.related.length + 1, physicalLocation: whole, message: { text: 'the whole route registration or handler' } }] : []),
    ];
    const startLine = primary.region!.startLine;
    const lineHash = hashesFor(finding.location.file)?.[startLine - 1] ?? (finding.lineHash || undefined);
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId)!,
      level: SARIF_LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [{ physicalLocation: primary }],
      ...(related.length > 0 ? { relatedLocations: related } : {}),
      ...(lineHash !== undefined ? { partialFingerprints: { primaryLocationLineHash: lineHash } } : {}),
      fingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
      properties: {
        confidence: finding.confidence ?? 'high',
        ...(finding.confidenceReason && finding.confidence && finding.confidence !== 'high' ? { confidenceReason: finding.confidenceReason } : {}),
      },
      ...(finding.suppressed
        ? { suppressions: [{ kind: finding.suppressed.kind, status: 'accepted', justification: finding.suppressed.justification }] }
        : {}),
    };
  });

  const notifications = sorted(result.errors, compareErrors).map((error) => notification(error, base));

  const driver: SarifLog['runs'][number]['tool']['driver'] = {
    name: TOOL_NAME,
    version: result.tool.version,
    ...(SEMVER.test(result.tool.version) ? { semanticVersion: result.tool.version } : {}),
    informationUri: TOOL_INFORMATION_URI,
    rules: rules.map(descriptor),
  };

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        invocations: [
          notifications.length > 0
            ? { executionSuccessful: true, toolExecutionNotifications: notifications }
            : { executionSuccessful: true },
        ],
        originalUriBaseIds: {
          [SRCROOT]: { uri: rootUri(base.dir), description: { text: base.dir === result.root ? 'The scanned root directory.' : 'The repository root.' } },
        },
        results,
        columnKind: 'utf16CodeUnits',
        ...(result.config ? { properties: { config: result.config } } : {}),
      },
    ],
  };
}

/** The SARIF log, 2-space indented, with a trailing newline. */
export function renderSarif(result: ScanResult, fileTexts?: (file: string) => string | undefined, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(result, fileTexts, options), null, 2)}\n`;
}

/** The SARIF log in pieces that join to `renderSarif`'s text, for logs too large to be one string. */
export function* renderSarifPieces(result: ScanResult, fileTexts?: (file: string) => string | undefined, options: SarifOptions = {}): Generator<string> {
  yield* jsonPieces(toSarif(result, fileTexts, options));
  yield '\n';
}
