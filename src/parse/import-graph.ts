/**
 * Which project files can lead to a paid model call (or to any module of interest), from their text alone: a
 * file can when its own text passes the test (it mentions an AI SDK or provider host, a configured AI wrapper,
 * a framework's package), or when a file it imports can. Imports are read with a regular expression and
 * resolved like the parser's, so answering costs no parsing; the analysis uses it to skip helpers (a database
 * module, a date formatter) that cannot reach a paid call whatever they do, and frameworks to skip files that
 * cannot see their package.
 */
import type { ParsedProject } from './program.js';

/** `import … from 'x'`, `import 'x'`, `export … from 'x'`, `import('x')`, `require('x')`. */
const IMPORT_SPECIFIER = /(?:\bfrom|\bimport|\brequire\s*\()\s*\(?\s*(['"])([^'"\n]+)\1/g;
/** An import whose module is computed at run time: anything may be behind it. */
const COMPUTED_IMPORT = /\b(?:import|require)\s*\(\s*[^'"\s)]/;

export class ImportGraph {
  /** true: reaches a file that passes the test; false: does not (its whole import closure was seen). */
  private readonly known = new Map<string, boolean>();

  constructor(
    private readonly project: Pick<ParsedProject, 'resolveImport' | 'textOf'>,
    /** Whether a file's own text passes (or leads on in a way imports do not show). */
    private readonly passes: (fileName: string, text: string) => boolean,
    /** Whether a package (never read) passes: an AI SDK's package. */
    private readonly packageTest: (specifier: string) => boolean = () => false,
  ) {}

  /** Whether a package a file imports passes the test. */
  packagePasses(specifier: string): boolean {
    return this.packageTest(specifier);
  }

  /** Whether a piece of code (not a file) passes the test: an argument, an initializer. */
  textPasses(text: string): boolean {
    return this.passes('', text);
  }

  /** Whether any file in the file's import closure, the file included, passes the test. */
  reaches(fileName: string): boolean {
    const known = this.known.get(fileName);
    if (known !== undefined) return known;
    const seen = new Set<string>();
    const reaches = this.search(fileName, seen);
    if (reaches) this.known.set(fileName, true);
    // Nothing reachable from the file passes: nor from any file in its closure, a subset of it.
    else for (const file of seen) this.known.set(file, false);
    return reaches;
  }

  /** Iterative depth-first search: import chains can be thousands of files long. */
  private search(start: string, seen: Set<string>): boolean {
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const file = stack.pop()!;
      const known = this.known.get(file);
      if (known === false) continue;
      if (known === true) return true;
      const text = this.project.textOf(file);
      if (text === undefined) continue;
      if (this.passes(file, text) || COMPUTED_IMPORT.test(text)) return true;
      for (const target of importsOf(this.project, file, text)) {
        if (!seen.has(target)) {
          seen.add(target);
          stack.push(target);
        }
      }
    }
    return false;
  }
}

/** The project files a file's text imports, resolved. */
export function importsOf(project: Pick<ParsedProject, 'resolveImport'>, file: string, text: string): string[] {
  const targets: string[] = [];
  for (const specifier of importSpecifiers(text)) {
    const target = project.resolveImport(specifier, file);
    if (target !== undefined) targets.push(target);
  }
  return targets;
}

/** The module specifiers a file's text imports, re-exports or requires, unresolved. */
export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(IMPORT_SPECIFIER)].map((match) => match[2]);
}

/** Every project file the given files import, transitively, at most `maxDepth` imports away; from text alone. */
export function importClosure(project: Pick<ParsedProject, 'resolveImport' | 'textOf'>, starts: readonly string[], maxDepth: number): Set<string> {
  const seen = new Set(starts);
  let frontier = [...starts];
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const file of frontier) {
      const text = project.textOf(file);
      if (text === undefined) continue;
      for (const target of importsOf(project, file, text)) {
        if (!seen.has(target)) {
          seen.add(target);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return seen;
}
