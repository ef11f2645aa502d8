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

/*
 * Each comparator returns the first non-zero comparison of its keys (NaN counts as non-zero, as a missing
 * number gives), in the order listed. Written as plain statements: reports sort 100,000s of items, and a
 * closure per key and comparison was most of the sorting time.
 */

export function compareLocations(a: SourceLocation, b: SourceLocation): number {
  let r: number;
  if ((r = compareStrings(a.file, b.file)) !== 0) return r;
  if ((r = compareNumbers(a.line, b.line)) !== 0) return r;
  if ((r = compareNumbers(a.column, b.column)) !== 0) return r;
  if ((r = compareNumbers(a.endLine, b.endLine)) !== 0) return r;
  return compareNumbers(a.endColumn, b.endColumn);
}

/** Endpoints by file, line, method, then path and id. */
export function compareEndpoints(a: Endpoint, b: Endpoint): number {
  let r: number;
  if ((r = compareStrings(a.location.file, b.location.file)) !== 0) return r;
  if ((r = compareNumbers(a.location.line, b.location.line)) !== 0) return r;
  if ((r = compareStrings(a.method, b.method)) !== 0) return r;
  if ((r = compareStrings(a.path, b.path)) !== 0) return r;
  if ((r = compareStrings(a.id, b.id)) !== 0) return r;
  return compareLocations(a.location, b.location);
}

/** Findings by file, line, column, rule id, then the rest of the span, endpoint, message and fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  let r: number;
  if ((r = compareStrings(a.location.file, b.location.file)) !== 0) return r;
  if ((r = compareNumbers(a.location.line, b.location.line)) !== 0) return r;
  if ((r = compareNumbers(a.location.column, b.location.column)) !== 0) return r;
  if ((r = compareStrings(a.ruleId, b.ruleId)) !== 0) return r;
  if ((r = compareNumbers(a.location.endLine, b.location.endLine)) !== 0) return r;
  if ((r = compareNumbers(a.location.endColumn, b.location.endColumn)) !== 0) return r;
  if ((r = compareStrings(a.endpointId ?? '', b.endpointId ?? '')) !== 0) return r;
  if ((r = compareStrings(a.message, b.message)) !== 0) return r;
  return compareStrings(a.fingerprint, b.fingerprint);
}

/** Tool-level problems (no file) first, then by file, line, kind and message. */
export function compareErrors(a: ScanError, b: ScanError): number {
  let r: number;
  if ((r = compareNumbers(a.file === undefined ? 0 : 1, b.file === undefined ? 0 : 1)) !== 0) return r;
  if ((r = compareStrings(a.file ?? '', b.file ?? '')) !== 0) return r;
  if ((r = compareNumbers(a.line ?? 0, b.line ?? 0)) !== 0) return r;
  if ((r = compareStrings(a.kind, b.kind)) !== 0) return r;
  return compareStrings(a.message, b.message);
}

/**
 * Orders items that carry a location (facts, AI calls) by location, then by their serialized form, so
 * the order is total even when two items share a span.
 */
export function compareByLocation<T extends { location: SourceLocation }>(a: T, b: T): number {
  const r = compareLocations(a.location, b.location);
  return r !== 0 ? r : compareStrings(JSON.stringify(a), JSON.stringify(b));
}

export function sorted<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  return [...items].sort(compare);
}
