/**
 * The one place that makes text safe to print. A scanned repository is untrusted input: its file names, route
 * strings and config keys reach the terminal, CI logs and PR comments through every line the tool prints.
 *
 * - `clean(field)` for any single value that came from the scanned tree: control characters (C0, DEL, C1, so
 *   ESC, CR and LF too), bidirectional overrides and line separators become visible `\uXXXX` escapes, and the
 *   legacy Actions command marker `##[` is broken up.
 * - `safeOutput(text)` for whole outputs (reports, stderr notes, commander's messages), a backstop that applies
 *   the same rules line by line and neutralises `::` at the start of a line (a GitHub Actions workflow
 *   command), keeping only the newlines, tabs and colour codes the tool itself writes.
 */

/** C0/C1 control characters, bidirectional marks/overrides/isolates, and the Unicode line/paragraph separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** As UNSAFE, keeping tab and newline, which whole outputs are made of. */
const UNSAFE_IN_OUTPUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The SGR colour codes chalk writes: the only escape sequences a report may hold. */
const COLOUR_CODE = /\u001b\[[0-9;]*m/g;
/** The runner reads `##[command]` anywhere in a line (the legacy syntax), and `##vso[` for Azure Pipelines. */
const LEGACY_COMMAND = /##(\[|vso\[)/gi;
/** The runner reads a workflow command at the start of a line, after any blank. */
const WORKFLOW_COMMAND = /^(\s*):(?=:)/;

/** A cheap first look: text with none of these passes the filter unchanged (most of a JSON report). */
const MAY_NEED_FILTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|##|(?:^|\n)\s*:/;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function breakLegacyCommands(text: string): string {
  return text.replace(LEGACY_COMMAND, (_match, rest: string) => `#\\u0023${rest}`);
}

/** Makes one value from the scanned code safe to print on one line. */
export function clean(text: string): string {
  return breakLegacyCommands(text.replace(UNSAFE, escapeChar));
}

export interface SafeOutputOptions {
  /** Keep chalk's colour codes (a colour terminal report). */
  colour?: boolean;
  /** Keep lines that start with `::`: the `github` format's own annotations, whose values are escaped. */
  workflowCommands?: boolean;
}

/** Makes a whole output safe to print: each line keeps only the tool's own newlines, tabs and colour codes. */
export function safeOutput(text: string, options: SafeOutputOptions = {}): string {
  if (!MAY_NEED_FILTER.test(text)) return text;
  return text
    .split('\n')
    .map((line) => safeLine(line, options))
    .join('\n');
}

/** Pieces of a report at least this long are passed on together: fewer, larger writes. */
const BATCH_CHARACTERS = 1 << 16;

/**
 * `safeOutput` over a report written in pieces: the pieces are gathered into whole lines (the filter works line
 * by line) and passed on in batches, so that the output is the same as filtering the joined text.
 */
export function* safeOutputPieces(pieces: Iterable<string>, options: SafeOutputOptions = {}): Generator<string> {
  let pending = '';
  for (const piece of pieces) {
    // A large piece of whole lines, with nothing pending, goes on as it is (no copy into a batch).
    if (pending === '' && piece.length >= BATCH_CHARACTERS && piece.endsWith('\n')) {
      yield safeOutput(piece, options);
      continue;
    }
    pending += piece;
    if (pending.length < BATCH_CHARACTERS) continue;
    const lineEnd = pending.lastIndexOf('\n');
    if (lineEnd === -1) continue;
    yield safeOutput(pending.slice(0, lineEnd + 1), options);
    pending = pending.slice(lineEnd + 1);
  }
  if (pending !== '') yield safeOutput(pending, options);
}

function safeLine(line: string, options: SafeOutputOptions): string {
  const parts = options.colour ? splitColourCodes(line) : [{ text: line, colour: false }];
  let safe = parts.map((part) => (part.colour ? part.text : part.text.replace(UNSAFE_IN_OUTPUT, escapeChar))).join('');
  safe = breakLegacyCommands(safe);
  if (!options.workflowCommands) safe = safe.replace(WORKFLOW_COMMAND, (_match, blank: string) => `${blank}\\u003a`);
  return safe;
}

function splitColourCodes(line: string): { text: string; colour: boolean }[] {
  const parts: { text: string; colour: boolean }[] = [];
  let last = 0;
  for (const match of line.matchAll(COLOUR_CODE)) {
    parts.push({ text: line.slice(last, match.index), colour: false }, { text: match[0], colour: true });
    last = match.index + match[0].length;
  }
  parts.push({ text: line.slice(last), colour: false });
  return parts;
}

/** Cuts text longer than `max` characters, ending it with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
