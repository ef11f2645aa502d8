/**
 * Deterministic ordering shared by every reporter. Reports must not depend on the order in which the
 * scanner happened to produce things, so each reporter sorts with these comparators. Strings compare by
 * UTF-16 code units (never locale-dependent), and ties fall through to further keys until only
 * identical items remain.
 */

import type { Endpoint, Finding, ScanError, SourceLocation } from '../model.js';

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: number, b: number): number {
  return a - b;
}

/** Chains comparisons: the first non-zero result wins. */
function chain(...results: (() => number)[]): number {
  for (const result of results) {
    const value = result();
    if (value !== 0) return value;
  }
  return 0;
}

export function compareLocations(a: SourceLocation, b: SourceLocation): number {
  return chain(
    () => compareStrings(a.file, b.file),
    () => compareNumbers(a.line, b.line),
    () => compareNumbers(a.column, b.column),
    () => compareNumbers(a.endLine, b.endLine),
    () => compareNumbers(a.endColumn, b.endColumn),
  );
}

/** Endpoints by file, line, method, then path and id. */
export function compareEndpoints(a: Endpoint, b: Endpoint): number {
  return chain(
    () => compareStrings(a.location.file, b.location.file),
    () => compareNumbers(a.location.line, b.location.line),
    () => compareStrings(a.method, b.method),
    () => compareStrings(a.path, b.path),
    () => compareStrings(a.id, b.id),
    () => compareLocations(a.location, b.location),
  );
}

/** Findings by file, line, column, rule id, then the rest of the span, endpoint, message and fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return chain(
    () => compareStrings(a.location.file, b.location.file),
    () => compareNumbers(a.location.line, b.location.line),
    () => compareNumbers(a.location.column, b.location.column),
    () => compareStrings(a.ruleId, b.ruleId),
    () => compareNumbers(a.location.endLine, b.location.endLine),
    () => compareNumbers(a.location.endColumn, b.location.endColumn),
    () => compareStrings(a.endpointId ?? '', b.endpointId ?? ''),
    () => compareStrings(a.message, b.message),
    () => compareStrings(a.fingerprint, b.fingerprint),
  );
}

/** Tool-level problems (no file) first, then by file, line, kind and message. */
export function compareErrors(a: ScanError, b: ScanError): number {
  return chain(
    () => compareNumbers(a.file === undefined ? 0 : 1, b.file === undefined ? 0 : 1),
    () => compareStrings(a.file ?? '', b.file ?? ''),
    () => compareNumbers(a.line ?? 0, b.line ?? 0),
    () => compareStrings(a.kind, b.kind),
    () => compareStrings(a.message, b.message),
  );
}

/**
 * Orders items that carry a location (facts, AI calls) by location, then by their serialized form, so
 * the order is total even when two items share a span.
 */
export function compareByLocation<T extends { location: SourceLocation }>(a: T, b: T): number {
  return chain(
    () => compareLocations(a.location, b.location),
    () => compareStrings(JSON.stringify(a), JSON.stringify(b)),
  );
}

export function sorted<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  return [...items].sort(compare);
}
