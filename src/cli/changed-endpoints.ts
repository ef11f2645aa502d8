/**
 * Which endpoints a change can affect, for `--changed-since`. The files that supply evidence are not enough: a
 * change that removes a protection (an auth middleware rewritten to `(req, res, next) => next()`) leaves no evidence
 * behind, so the file drops out of the endpoint's evidence. Instead an endpoint is selected when its route file
 * imports, directly or through other files, a changed file, and the import is used in the endpoint's own code or in
 * code shared by the file's endpoints (anything outside the other endpoints' registrations); or when a function its
 * chain resolves to (a middleware in its own file) lies in a file that imports a changed file.
 *
 * Imports are read from text, like the engine's import graph: relative specifiers are resolved with the usual
 * extensions, and aliases (`@/lib/auth`, `~/server/auth`) are matched by path suffix, which may select more
 * endpoints than needed but never fewer. Only regular files under the scanned root are read.
 */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_FILE_BYTES } from '../discover/file-limits.js';
import type { Endpoint, Finding, ScanResult } from '../model.js';
import { findingsTouching, projectFiles } from './changed-files.js';

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/;
const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs'];
/** `import … from 's'`, `export … from 's'`, `import('s')`, `require('s')`, `import 's'`. */
const IMPORT = /(?:\bimport\s+([^'";]*?)\s*from\s*|\bexport\s+[^'";]*?\s*from\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\2/g;
/** How many imports away a changed file may be: as deep as the analysis follows. */
const MAX_DEPTH = 64;

interface ImportStatement {
  specifier: string;
  /** Local names the statement binds, empty when it binds none the text shows (a side-effect import, inline require). */
  names: string[];
  start: number;
  end: number;
  /** A `require()` or `import()` whose value is used where it stands, bound to no name. */
  inline: boolean;
}

/** Reads project files (relative, POSIX) under `root`; undefined for anything that is not a small regular file. */
export type ReadFile = (relative: string) => string | undefined;

export function readUnderRoot(root: string): ReadFile {
  return (relative) => {
    const file = path.join(root, relative);
    try {
      const stat = lstatSync(file);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Ids of the endpoints a change to `changed` may affect through their route file's imports. */
export function endpointsImportingChanges(endpoints: readonly Endpoint[], files: readonly string[], changed: ReadonlySet<string>, read: ReadFile): Set<string> {
  const selected = new Set<string>();
  if (changed.size === 0) return selected;
  const sources = files.filter((f) => SOURCE_FILE.test(f));
  const graph = new TextImports(sources, read);
  const affected = graph.dependentsOf([...changed].filter((f) => SOURCE_FILE.test(f)));
  const byFile = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) byFile.set(endpoint.location.file, [...(byFile.get(endpoint.location.file) ?? []), endpoint]);
  // A layer function in another file than the route (an auth middleware in its own file) that imports a changed
  // file; the route file's own imports are weighed below, by where they are used.
  for (const endpoint of endpoints) {
    const layers = (endpoint.layerFiles ?? []).filter((layer) => layer.via === 'function' && layer.file !== endpoint.location.file);
    if (layers.some((layer) => affected.has(layer.file))) selected.add(endpoint.id);
  }
  for (const [file, routes] of byFile) {
    const text = read(file);
    if (text === undefined) continue;
    const imports = graph.statements(file).filter((s) => graph.resolve(file, s.specifier).some((target) => affected.has(target)));
    if (imports.length === 0) continue;
    const lineOf = lineIndex(text);
    for (const endpoint of routes) {
      if (imports.some((s) => usedBy(endpoint, routes, text, lineOf, s))) selected.add(endpoint.id);
    }
  }
  return selected;
}

/** Whether the endpoint may use what the import brings: in its own lines, or anywhere outside the other endpoints' lines. */
function usedBy(endpoint: Endpoint, routes: readonly Endpoint[], text: string, lineOf: (offset: number) => number, statement: ImportStatement): boolean {
  if (statement.names.length === 0 && !statement.inline) return true;
  const within = (e: Endpoint, line: number) => line >= e.location.line && line <= e.location.endLine;
  const others = routes.filter((r) => r.id !== endpoint.id && !(r.location.line === endpoint.location.line && r.location.endLine === endpoint.location.endLine));
  const usedAt = (line: number) => within(endpoint, line) || !others.some((o) => within(o, line));
  // `app.post('/chat', require('./auth'), handler)`: the require is the use.
  if (statement.inline) return usedAt(lineOf(statement.start));
  for (const name of statement.names) {
    for (const match of text.matchAll(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))) {
      if (match.index >= statement.start && match.index < statement.end) continue;
      if (usedAt(lineOf(match.index))) return true;
    }
  }
  return false;
}

/** The 1-based line of a character offset. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

class TextImports {
  private readonly known: Set<string>;
  /** Extension-less path and every path suffix of it → files, for alias specifiers. */
  private readonly bySuffix = new Map<string, string[]>();
  private readonly cache = new Map<string, ImportStatement[]>();

  constructor(
    private readonly files: readonly string[],
    private readonly read: ReadFile,
  ) {
    this.known = new Set(files);
    for (const file of files) {
      const segments = file.replace(/\.[^./]+$/, '').replace(/\/index$/, '').split('/');
      for (let i = 0; i < segments.length; i++) {
        const suffix = segments.slice(i).join('/');
        this.bySuffix.set(suffix, [...(this.bySuffix.get(suffix) ?? []), file]);
      }
    }
  }

  statements(file: string): ImportStatement[] {
    let statements = this.cache.get(file);
    if (!statements) {
      statements = parseImports(this.read(file) ?? '');
      this.cache.set(file, statements);
    }
    return statements;
  }

  /** Project files a specifier in `from` may name. */
  resolve(from: string, specifier: string): string[] {
    if (specifier.startsWith('.')) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
      const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
      const candidates = [base, ...[base, stem].flatMap((b) => EXTENSIONS.map((ext) => `${b}${ext}`)), ...EXTENSIONS.map((ext) => `${base}/index${ext}`)];
      return candidates.filter((c) => this.known.has(c));
    }
    const segments = specifier.split('/');
    if (segments.length < 2) return [];
    // `@/lib/auth`, `~/lib/auth`, `#lib/auth`, `@app/lib/auth`: the path after the alias's first segment.
    const tail = segments.slice(specifier.startsWith('@') && !specifier.startsWith('@/') ? 2 : 1).join('/').replace(/\.(?:[cm]?[jt]sx?)$/, '');
    return tail ? (this.bySuffix.get(tail) ?? []) : [];
  }

  /** The changed files and every file that imports one of them, transitively. */
  dependentsOf(changed: readonly string[]): Set<string> {
    const importers = new Map<string, string[]>();
    for (const file of this.files) {
      for (const statement of this.statements(file)) {
        for (const target of this.resolve(file, statement.specifier)) importers.set(target, [...(importers.get(target) ?? []), file]);
      }
    }
    const affected = new Set(changed);
    let frontier = [...changed];
    for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
      frontier = frontier.flatMap((file) => importers.get(file) ?? []).filter((file) => !affected.has(file));
      for (const file of frontier) affected.add(file);
    }
    return affected;
  }
}

function parseImports(text: string): ImportStatement[] {
  const statements: ImportStatement[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const clause = match[1];
    const before = text.slice(Math.max(0, match.index - 80), match.index);
    const assigned = /(?:const|let|var)\s+([\w$]+)\s*=\s*(?:await\s+)?$/.exec(before)?.[1];
    const names = clause !== undefined ? boundNames(clause) : assigned ? [assigned] : [];
    const inline = clause === undefined && !assigned && /^(?:require|import)\s*\(/.test(match[0]);
    statements.push({ specifier: match[3]!, names, start: match.index, end: match.index + match[0].length, inline });
  }
  return statements;
}

/** `X`, `{ a, b as c }`, `* as ns`, `X, { a }`, `type { T }` → the local names. */
function boundNames(clause: string): string[] {
  const names: string[] = [];
  const cleaned = clause.replace(/^type\s+/, '');
  const braces = /\{([^}]*)\}/.exec(cleaned);
  if (braces) {
    for (const part of braces[1]!.split(',')) {
      const local = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim();
      if (local) names.push(local);
    }
  }
  const outside = cleaned.replace(/\{[^}]*\}/, '').split(',').map((p) => p.trim()).filter(Boolean);
  for (const part of outside) {
    const local = part.replace(/^\*\s+as\s+/, '').trim();
    if (/^[\w$]+$/.test(local)) names.push(local);
  }
  return names;
}

/**
 * With --changed-since: every finding when the config file (absolute path, when one was used) or a tsconfig
 * changed, else the findings the change can affect.
 */
export function changedFindings(findings: Finding[], result: ScanResult, configFile: string | undefined, changed: ReadonlySet<string>): Finding[] {
  const config = configFile ? path.relative(result.root, configFile).split(path.sep).join('/') : undefined;
  const settingsChanged = [...changed].some((file) => file === config || /(?:^|\/)[jt]sconfig[^/]*\.json$/.test(file));
  if (settingsChanged) return findings;
  const importing = endpointsImportingChanges(result.endpoints, [...new Set([...projectFiles(result.root), ...changed])], changed, readUnderRoot(result.root));
  return findingsTouching(findings, result.endpoints, changed, importing);
}
