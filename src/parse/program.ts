/**
 * Stage 3, parse: files are parsed when a question needs them, not before. The route files are parsed up
 * front; a helper, a re-exporting barrel or a mounted router is parsed the first time the analysis follows an
 * import into it, so the cost grows with what the routes reach rather than with the size of the project.
 * Modules resolve with TypeScript's own resolution (tsconfig `paths`, `baseUrl`, index files, extensions);
 * nothing outside the scanned root or under node_modules is read, and tsconfig files are read as data.
 */
import ts from '../typescript.cjs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ScanError } from '../model.js';
import { RootGuard } from '../discover/root-guard.js';
import { readSource, type IndexedFile, type SourceIndex } from './source-index.js';
import { toPosix } from '../discover/posix-path.js';
import { frameworkConfigFolders, type MetaFramework, withFrameworkAliases } from './framework-aliases.js';
import type { ProjectLayout } from '../discover/discover.js';

const SOURCE_FILE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/**
 * Deeper syntax trees are not analysed. TypeScript's parser and the recursive walks after it would overflow
 * the stack on a few thousand levels; hand-written code stays far below this.
 */
export const MAX_AST_DEPTH = 1000;

/**
 * Re-exports are followed this many modules deep. Real barrels chain a handful; a longer chain is generated
 * or circular code, and following it would only cost time.
 */
export const MAX_IMPORT_DEPTH = 64;

/**
 * Module resolution is bounded, whatever a tsconfig asks for: TypeScript tries every `paths` target with every
 * `moduleSuffixes` entry and every extension, so a 20 KB tsconfig could make one import probe millions of paths.
 * Real configurations use a handful of each; beyond these, the rest is dropped with a note.
 */
export const MAX_PATHS_TARGETS = 16;
export const MAX_MODULE_SUFFIXES = 8;
/** File-system questions one import specifier may ask the resolver; past it the import is left unresolved. */
export const MAX_PROBES_PER_SPECIFIER = 2_000;

export interface ParsedProject {
  root: string;
  relative(fileName: string): string;
  /** A project file, parsed on first use; undefined when it cannot be read or lies outside the root. */
  sourceFile(fileName: string): ts.SourceFile | undefined;
  /** The project file a module specifier names from a file, parsed; undefined for a package. */
  importedFile(specifier: string, from: ts.SourceFile): ts.SourceFile | undefined;
  /** Indexed files that pass a test on their path and text, parsed. */
  filesWhere(test: (file: IndexedFile) => boolean): ts.SourceFile[];
  /** The absolute path of the project file a module specifier names from a file; undefined for a package. */
  resolveImport(specifier: string, containingFile: string): string | undefined;
  /** The unparsed text of a project file (by absolute path), for a cheap look before parsing it. */
  textOf(fileName: string): string | undefined;
  /** The absolute paths of every indexed file, parsed or not. */
  indexedFileNames(): readonly string[];
  /** Notes a chain of re-exports cut short, once per file. */
  noteTooDeep(fileName: string): void;
  /** The absolute paths of the files parsed so far. */
  parsedFilePaths(): string[];
  /** How much module resolution cost: specifiers resolved, and file-system questions TypeScript's resolver asked. */
  resolutionCost(): { resolutions: number; probes: number };
}

const BASE_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  noLib: true,
  noEmit: true,
  types: [],
  jsx: ts.JsxEmit.Preserve,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  resolveJsonModule: false,
  allowArbitraryExtensions: false,
};

/** Comments are not analysed: JSDoc is skipped, which parses faster. */
const PARSE_OPTIONS: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

export function createParsedProject(index: SourceIndex, errors: ScanError[]): ParsedProject {
  const root = index.root;
  const guard = new RootGuard(root);
  // Indexed files were checked when they were read; anything else is checked against real paths.
  const insideRoot = (file: string) => index.files.has(path.resolve(file)) || guard.reallyInside(file);
  const configs = new TsconfigCache(root, insideRoot, index.layout, frameworkConfigFolders([...index.files.keys(), ...index.skipped]), (file, message) =>
    errors.push({ file: relative(file), kind: 'budget', message }),
  );
  // Every reported location asks for its file's relative path: computed once per file.
  const relativePaths = new Map<string, string>();
  const relative = (fileName: string) => {
    let known = relativePaths.get(fileName);
    if (known === undefined) relativePaths.set(fileName, (known = toPosix(path.relative(root, fileName))));
    return known;
  };

  const probes = new ProbeBudget(MAX_PROBES_PER_SPECIFIER);
  let resolutions = 0;
  const host: ts.ModuleResolutionHost = {
    // Module resolution probes many candidate paths, most of them more than once: answers are cached.
    fileExists: probes.bounded(
      memo((f) => index.files.has(path.resolve(f)) || ((SOURCE_FILE.test(f) || f.endsWith('package.json')) && guard.lexicallyInside(f) && isFile(f) && guard.reallyInside(f))),
    ),
    readFile: (f) => (insideRoot(f) ? readText(f) : undefined),
    directoryExists: probes.bounded(memo((d) => guard.lexicallyInside(d) && isDirectory(d) && guard.reallyInside(d))),
    realpath: (f) => f,
    getCurrentDirectory: () => root,
  };
  const resolutionCaches = new Map<ts.CompilerOptions, ts.ModuleResolutionCache>();
  const importsOf = new Map<string, Map<string, string | null>>();

  /** The absolute path of the project file an import names; undefined for a package or a file outside the root. */
  function resolveImport(specifier: string, containingFile: string): string | undefined {
    // The answer depends on the folder (and its tsconfig), not on the file: asked once per folder.
    const dir = path.dirname(containingFile);
    let resolvedImports = importsOf.get(dir);
    if (!resolvedImports) importsOf.set(dir, (resolvedImports = new Map()));
    const known = resolvedImports.get(specifier);
    if (known !== undefined) return known ?? undefined;
    resolutions++;
    // Relative imports and path aliases are looked up in the index first; TypeScript resolves the rest.
    const options = isRelative(specifier) ? undefined : configs.optionsFor(containingFile);
    const indexed =
      options === undefined
        ? indexedCandidate(path.resolve(dir, specifier))
        : pathsCandidates(specifier, options).map(indexedCandidate).find((file) => file !== undefined);
    const resolved = indexed ?? resolvedByTypeScript(specifier, containingFile, options ?? configs.optionsFor(containingFile));
    resolvedImports.set(specifier, resolved ?? null);
    return resolved;
  }

  function resolvedByTypeScript(specifier: string, containingFile: string, options: ts.CompilerOptions): string | undefined {
    // A package name resolves only through tsconfig `paths`/`baseUrl`: dependencies are never read.
    if (isBareSpecifier(specifier) && !options.baseUrl && !matchesPaths(specifier, options.paths)) return undefined;
    const cache = resolutionCaches.get(options) ?? resolutionCaches.set(options, ts.createModuleResolutionCache(root, (f) => f, options)).get(options)!;
    probes.start();
    const module = ts.resolveModuleName(specifier, containingFile, options, host, cache).resolvedModule;
    if (probes.exhausted()) {
      errors.push({ file: relative(containingFile), kind: 'budget', message: `import '${specifier}' not resolved: more than ${MAX_PROBES_PER_SPECIFIER} paths to try` });
      return undefined;
    }
    if (!module || module.extension === ts.Extension.Json || module.resolvedFileName.endsWith('.d.ts') || !insideRoot(module.resolvedFileName)) return undefined;
    return path.resolve(module.resolvedFileName);
  }

  /**
   * A relative import that names a discovered file, found the way TypeScript would (`./a` → `a.ts`, `a.tsx`,
   * then `a/index.ts`; `./a.js` → `a.ts` first) without asking its resolver, which probes the file system.
   */
  function indexedCandidate(base: string): string | undefined {
    const extension = path.extname(base);
    const stem = base.slice(0, base.length - extension.length);
    const candidates = SOURCE_FOR_EXTENSION[extension]?.map((e) => stem + e) ?? (TS_EXTENSION.test(extension) ? [base] : EXTENSIONLESS.map((e) => base + e));
    return candidates.find((candidate) => index.files.has(candidate));
  }

  const parsed = new Map<string, ts.SourceFile | null>();
  function sourceFile(fileName: string): ts.SourceFile | undefined {
    return parsedFile(path.resolve(fileName));
  }

  /** Paths that resolution and the index give are already absolute. */
  function parsedFile(absolute: string): ts.SourceFile | undefined {
    const known = parsed.get(absolute);
    if (known !== undefined) return known ?? undefined;
    const text = readProjectFile(absolute);
    const file = text === undefined ? undefined : parseFile(absolute, text);
    parsed.set(absolute, file ?? null);
    return file;
  }

  function parseFile(fileName: string, text: string): ts.SourceFile {
    const file = parseBounded(fileName, text, PARSE_OPTIONS, (message) => errors.push({ file: relative(fileName), kind: 'too-deep', message }));
    const [diagnostic] = (file as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    if (diagnostic) {
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start);
      errors.push({
        file: relative(fileName),
        line: line + 1,
        kind: 'syntax',
        message: `syntax error: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')} (analyzed as far as it parses)`,
      });
    }
    return file;
  }

  const unindexedTexts = new Map<string, string | null>();
  function readProjectFile(absolute: string): string | undefined {
    const indexed = index.files.get(absolute);
    if (indexed) return indexed.text;
    if (index.skipped.has(absolute) || !SOURCE_FILE.test(absolute)) return undefined;
    // A project file reached through an import but not discovered (e.g. under an ignored folder): read once.
    // A probe for a file that does not exist (a config beside an app) is an answer, not a read error.
    let text = unindexedTexts.get(absolute);
    if (text === undefined) {
      text = guard.reallyInside(absolute) && existsSync(absolute) ? readSource(absolute, relative(absolute), guard, errors) ?? null : null;
      unindexedTexts.set(absolute, text);
    }
    return text ?? undefined;
  }

  const tooDeep = new Set<string>();
  return {
    root,
    relative,
    sourceFile,
    importedFile: (specifier, from) => {
      const target = resolveImport(specifier, from.fileName);
      return target === undefined ? undefined : parsedFile(target);
    },
    filesWhere: (test) => [...index.files.values()].filter(test).flatMap((f) => parsedFile(f.path) ?? []),
    resolveImport,
    textOf: readProjectFile,
    indexedFileNames: () => [...index.files.keys()],
    noteTooDeep(fileName) {
      if (tooDeep.has(fileName)) return;
      tooDeep.add(fileName);
      errors.push({ file: relative(fileName), kind: 'too-deep', message: `re-exports not followed: more than ${MAX_IMPORT_DEPTH} modules deep` });
    },
    parsedFilePaths: () => [...parsed].flatMap(([fileName, file]) => (file ? [fileName] : [])),
    resolutionCost: () => ({ resolutions, probes: probes.total }),
  };
}

/** Counts the file-system questions of one resolution; past the limit every answer is "no", which ends it. */
class ProbeBudget {
  total = 0;
  private used = 0;

  constructor(private readonly limit: number) {}

  start(): void {
    this.used = 0;
  }

  exhausted(): boolean {
    return this.used > this.limit;
  }

  bounded(answer: (key: string) => boolean): (key: string) => boolean {
    return (key) => {
      this.total++;
      return ++this.used <= this.limit && answer(key);
    };
  }
}

/**
 * Parses one file. A file nested too deeply for the parser (it throws RangeError) or for the walks after it
 * becomes an empty module, so the rest of the program is analysed as usual.
 */
export function parseBounded(
  fileName: string,
  text: string,
  languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions,
  onTooDeep: (message: string) => void,
): ts.SourceFile {
  const parse = (source: string) => ts.createSourceFile(fileName, source, languageVersion, true, scriptKind(fileName));
  try {
    const sourceFile = parse(text);
    if (!deeperThan(sourceFile, MAX_AST_DEPTH)) return sourceFile;
    onTooDeep(`skipped: syntax nested more than ${MAX_AST_DEPTH} levels deep`);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    onTooDeep('skipped: syntax nested too deeply to parse');
  }
  return parse('');
}

/** Iterative, so that measuring the depth cannot overflow the stack itself. */
function deeperThan(sourceFile: ts.SourceFile, limit: number): boolean {
  const nodes: ts.Node[] = [sourceFile];
  const depths: number[] = [0];
  let depth = 0;
  const push = (child: ts.Node) => {
    nodes.push(child);
    depths.push(depth + 1);
  };
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    depth = depths.pop()!;
    if (depth > limit) return true;
    ts.forEachChild(node, push);
  }
  return false;
}

function memo(answer: (key: string) => boolean): (key: string) => boolean {
  const answers = new Map<string, boolean>();
  return (key) => {
    let known = answers.get(key);
    if (known === undefined) answers.set(key, (known = answer(key)));
    return known;
  };
}

/** The files an import written with a JavaScript extension may mean, in TypeScript's order. */
const SOURCE_FOR_EXTENSION: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.jsx': ['.tsx', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};
const TS_EXTENSION = /^\.(ts|tsx|mts|cts)$/;
const EXTENSIONLESS = ['.ts', '.tsx', '.js', '.jsx', '/index.ts', '/index.tsx', '/index.js', '/index.jsx'];

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../');
}

function isBareSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !path.isAbsolute(specifier);
}

/**
 * Where a tsconfig `paths` alias maps a specifier, in the order TypeScript tries them: the pattern with the
 * longest prefix before its star (an exact name first), then its targets in order, from `baseUrl` or else the
 * folder of the tsconfig that declares `paths`.
 */
function pathsCandidates(specifier: string, options: ts.CompilerOptions): string[] {
  const base = options.baseUrl ?? options.pathsBasePath;
  if (!options.paths || typeof base !== 'string') return [];
  const match = pathsMatcher(options.paths).match(specifier);
  return match ? match.targets.map((target) => path.resolve(base, target.replace('*', match.star))) : [];
}

/** Could a tsconfig `paths` pattern map this specifier? */
function matchesPaths(specifier: string, paths: ts.MapLike<string[]> | undefined): boolean {
  return paths !== undefined && pathsMatcher(paths).match(specifier) !== undefined;
}

interface StarPattern {
  prefix: string;
  suffix: string;
  targets: string[];
}

/**
 * A `paths` map split once into exact names and star patterns, longest prefix first (ties in declaration
 * order, as TypeScript picks them): a tsconfig with thousands of patterns is not re-read for every import.
 */
class PathsMatcher {
  private readonly exact = new Map<string, string[]>();
  private readonly starred: StarPattern[] = [];

  constructor(paths: ts.MapLike<string[]>) {
    for (const [pattern, targets] of Object.entries(paths)) {
      const star = pattern.indexOf('*');
      if (star === -1) {
        if (!this.exact.has(pattern)) this.exact.set(pattern, targets);
      } else this.starred.push({ prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), targets });
    }
    this.starred.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The targets for a specifier and the text its star stands for ('' for an exact name). */
  match(specifier: string): { targets: string[]; star: string } | undefined {
    const exact = this.exact.get(specifier);
    if (exact) return { targets: exact, star: '' };
    for (const { prefix, suffix, targets } of this.starred) {
      if (specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix))
        return { targets, star: specifier.slice(prefix.length, specifier.length - suffix.length) };
    }
    return undefined;
  }
}

const matchers = new WeakMap<ts.MapLike<string[]>, PathsMatcher>();
function pathsMatcher(paths: ts.MapLike<string[]>): PathsMatcher {
  let matcher = matchers.get(paths);
  if (!matcher) matchers.set(paths, (matcher = new PathsMatcher(paths)));
  return matcher;
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.(jsx)$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Configuration and manifest files, read as data. Large ones are not configuration. */
const MAX_CONFIG_BYTES = 1_000_000;

function readText(file: string): string | undefined {
  try {
    const stats = statSync(file);
    if (!stats.isFile() || stats.size > MAX_CONFIG_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Module-resolution options per folder, from the nearest tsconfig.json / jsconfig.json, so each package of a
 * monorepo resolves its own `paths` aliases. Only `compilerOptions` matter; `extends` is followed as JSON.
 */
class TsconfigCache {
  private readonly byDirectory = new Map<string, ts.CompilerOptions>();

  constructor(
    private readonly root: string,
    private readonly insideRoot: (file: string) => boolean,
    /** What discovery saw: a folder it listed has no tsconfig it did not see, so most folders need no probe. */
    private readonly layout: ProjectLayout | undefined,
    private readonly frameworkConfigs: ReadonlyMap<string, MetaFramework>,
    private readonly note: (configFile: string, message: string) => void,
  ) {}

  optionsFor(containingFile: string): ts.CompilerOptions {
    return this.forDirectory(path.dirname(path.resolve(containingFile)));
  }

  private forDirectory(dir: string): ts.CompilerOptions {
    const cached = this.byDirectory.get(dir);
    if (cached) return cached;
    let options: ts.CompilerOptions;
    const config = ['tsconfig.json', 'jsconfig.json'].map((name) => path.join(dir, name)).find((f) => this.mayBeConfig(f) && isFile(f) && this.insideRoot(f));
    if (config) options = this.load(config);
    else if (dir === this.root || !dir.startsWith(this.root)) options = withFrameworkAliases(BASE_OPTIONS, dir, this.frameworkConfigs);
    else options = withFrameworkAliases(this.forDirectory(path.dirname(dir)), dir, this.frameworkConfigs);
    this.byDirectory.set(dir, options);
    return options;
  }

  private mayBeConfig(file: string): boolean {
    return !this.layout?.folders.has(path.dirname(file)) || this.layout.compilerConfigs.has(file);
  }

  private load(configFile: string): ts.CompilerOptions {
    const readFile = (f: string) => (this.insideRoot(f) ? readText(f) : undefined);
    const parsed = ts.readConfigFile(configFile, readFile);
    if (parsed.error || !parsed.config) return BASE_OPTIONS;
    const parseHost: ts.ParseConfigHost = {
      useCaseSensitiveFileNames: true,
      readDirectory: () => [],
      fileExists: (f) => isFile(f) && this.insideRoot(f),
      readFile,
    };
    const { options } = ts.parseJsonConfigFileContent(
      { compilerOptions: parsed.config.compilerOptions ?? {}, extends: parsed.config.extends, files: [] },
      parseHost,
      path.dirname(configFile),
    );
    const picked = pickResolutionOptions(options, (message) => this.note(configFile, message));
    return { ...BASE_OPTIONS, ...withFrameworkAliases(picked, path.dirname(configFile), this.frameworkConfigs) };
  }
}

function pickResolutionOptions(options: ts.CompilerOptions, note: (message: string) => void): ts.CompilerOptions {
  const picked: ts.CompilerOptions = {};
  if (options.baseUrl) picked.baseUrl = options.baseUrl;
  if (options.paths) {
    picked.paths = boundedPaths(options.paths, note);
    picked.pathsBasePath = options.pathsBasePath;
  }
  if (options.rootDirs) picked.rootDirs = options.rootDirs;
  if (options.moduleSuffixes) {
    picked.moduleSuffixes = options.moduleSuffixes.slice(0, MAX_MODULE_SUFFIXES);
    if (options.moduleSuffixes.length > MAX_MODULE_SUFFIXES)
      note(`moduleSuffixes has ${options.moduleSuffixes.length} entries: only the first ${MAX_MODULE_SUFFIXES} are tried`);
  }
  return picked;
}

/** Each `paths` pattern keeps its first targets; one note counts the patterns cut. */
function boundedPaths(paths: ts.MapLike<string[]>, note: (message: string) => void): ts.MapLike<string[]> {
  const bounded: ts.MapLike<string[]> = {};
  let cut = 0;
  for (const [pattern, targets] of Object.entries(paths)) {
    if (targets.length > MAX_PATHS_TARGETS) cut++;
    bounded[pattern] = targets.length > MAX_PATHS_TARGETS ? targets.slice(0, MAX_PATHS_TARGETS) : targets;
  }
  if (cut > 0) note(`${cut} paths pattern(s) with more than ${MAX_PATHS_TARGETS} targets: only the first ${MAX_PATHS_TARGETS} of each are tried`);
  return bounded;
}
