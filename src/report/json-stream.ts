/**
 * `JSON.stringify(value, null, 2)` as a sequence of pieces, so that a report of any size is written without
 * being one string (V8 caps a string at about 512 MB: 100,000 routes passed it). The outer levels are walked
 * here, element by element; each element below them is one `JSON.stringify` call, re-indented. The pieces
 * joined are byte-identical to `JSON.stringify(value, null, 2)` for the plain data reports hold.
 */

/** Levels walked piece by piece at most; a SARIF log's results sit at the fourth (log → runs → run → results). */
const STREAMED_LEVELS = 4;
/**
 * A list this long is a list of records (endpoints, findings, results): each element is one piece, stringified
 * whole. Shorter lists (a SARIF log's one run) are walked into, to reach the long lists inside.
 */
const LONG_LIST = 16;
/** Records of a long list stringified together: fewer, larger pieces. */
const RECORDS_PER_PIECE = 64;

export function* jsonPieces(value: unknown, indent = '', level = 0): Generator<string> {
  const data = toJsonValue(value);
  if (level >= STREAMED_LEVELS || data === null || typeof data !== 'object') {
    yield whole(data, indent);
    return;
  }
  const inner = `${indent}  `;
  const isList = Array.isArray(data);
  const entries: [string | undefined, unknown][] = isList
    ? data.map((item) => [undefined, serialisable(toJsonValue(item)) ? item : null])
    : Object.entries(data).filter(([, v]) => serialisable(toJsonValue(v)));
  const [open, close] = isList ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    yield open + close;
    return;
  }
  const records = isList && entries.length >= LONG_LIST;
  yield `${open}\n`;
  if (records) {
    for (let i = 0; i < entries.length; i += RECORDS_PER_PIECE) {
      const batch = entries.slice(i, i + RECORDS_PER_PIECE).map(([, item]) => item);
      yield `${listItems(batch, inner)}${i + RECORDS_PER_PIECE < entries.length ? ',\n' : '\n'}`;
    }
    yield `${indent}${close}`;
    return;
  }
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    const separator = i < entries.length - 1 ? ',\n' : '\n';
    yield key === undefined ? inner : `${inner}${JSON.stringify(key)}: `;
    yield* jsonPieces(item, inner, level + 1);
    yield separator;
  }
  yield `${indent}${close}`;
}

/** One value as JSON.stringify(value, null, 2) writes it, its lines indented to sit at `indent`. */
function whole(value: unknown, indent: string): string {
  return indented(JSON.stringify(value, null, 2) ?? 'null', indent);
}

/**
 * The elements of a list as JSON.stringify(list, null, 2) writes them, each at `indent` (two spaces a level),
 * separated by `,\n`: the list is wrapped in one array per level above, so that JSON.stringify itself indents
 * the elements, and the brackets of the wrapping are cut off (d levels: d(d + 1) characters at each end).
 */
function listItems(items: unknown[], indent: string): string {
  const depth = indent.length / 2;
  let wrapped: unknown = items;
  for (let level = 1; level < depth; level++) wrapped = [wrapped];
  const json = JSON.stringify(wrapped, null, 2);
  const cut = depth * (depth + 1);
  return json.slice(cut, json.length - cut);
}

/** What JSON.stringify writes for a value: functions, symbols and undefined are left out of objects. */
function serialisable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function toJsonValue(value: unknown): unknown {
  const withToJson = value as { toJSON?: () => unknown } | null;
  return withToJson !== null && typeof withToJson === 'object' && typeof withToJson.toJSON === 'function' ? withToJson.toJSON() : value;
}

/** JSON text never holds a raw newline inside a string, so every newline starts a line to indent. */
function indented(json: string, indent: string): string {
  return indent === '' ? json : json.replaceAll('\n', `\n${indent}`);
}
