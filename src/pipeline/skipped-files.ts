/**
 * Source files the scan did not analyse: counted by reason for `stats.skippedFiles`, and the ones skipped for
 * their content (minified, too large) that mention a route or an AI SDK are marked, so the report can say that
 * an endpoint may have gone unanalysed instead of staying silent about it.
 */
import path from 'node:path';
import type { ScanError, SkippedFileMention, SkipReason } from '../model.js';
import type { SkippedEntry } from '../discover/discover.js';
import { indexedFile } from './build-index.js';
import { MAX_FILE_BYTES } from '../discover/file-limits.js';
import { readRegularFile } from '../discover/read-regular.js';

/** Index problems that mean the file was not analysed at all, and the reason they count under. */
const SKIPPING_KINDS: Partial<Record<ScanError['kind'], SkipReason>> = {
  minified: 'minified',
  'too-large': 'too-large',
  binary: 'binary',
  unreadable: 'unreadable',
  symlink: 'symlink',
};

/** Counts by reason, reasons in a fixed order. `indexSkips` are the index's errors for files it did not read. */
export function skippedFileCounts(discovered: readonly SkippedEntry[], indexSkips: readonly ScanError[]): Partial<Record<SkipReason, number>> {
  const counts = new Map<SkipReason, number>();
  const add = (reason: SkipReason, files: number) => counts.set(reason, (counts.get(reason) ?? 0) + files);
  for (const entry of discovered) add(entry.reason, entry.files);
  for (const error of indexSkips) {
    const reason = SKIPPING_KINDS[error.kind];
    if (reason) add(reason, 1);
  }
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** Whether an index error means its file was skipped (not merely noted, as an encoding problem is). */
export function isSkippingError(error: ScanError): boolean {
  return SKIPPING_KINDS[error.kind] !== undefined;
}

/**
 * The index's problem for a file skipped for its content, with what the file's text mentions. The text is read
 * again, at most up to the size limit, only for these rare files; `file` is relative to `root`.
 */
export function withMentions(error: ScanError, root: string): ScanError {
  if (error.file === undefined || (error.kind !== 'minified' && error.kind !== 'too-large')) return error;
  const absolute = path.join(root, error.file);
  const read = readRegularFile(absolute, MAX_FILE_BYTES);
  if (read === undefined) return error;
  const indexed = indexedFile(absolute, error.file, read.bytes.toString('utf8'));
  const mentions: SkippedFileMention[] = [...(indexed.mentionsRoutes ? ['route' as const] : []), ...(indexed.mentionsAi ? ['ai-sdk' as const] : [])];
  return mentions.length > 0 ? { ...error, mentions } : error;
}
