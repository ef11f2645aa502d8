/**
 * Stage 3, parse: a TypeScript program over just the files that can matter and the project files they
 * import, with TypeScript's own module resolution (tsconfig `paths`, `baseUrl`, index files, re-exports,
 * CommonJS `require` in JavaScript). The host never reads outside the scanned root, never reads
 * dependencies under node_modules, and treats tsconfig files as data.
 */
import { ts } from 'ts-morph';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ScanError } from '../model.js';
import { RootGuard } from './root-guard.js';
import { readSource, toPosix, type SourceIndex } from './source-index.js';
import { withFrameworkAliases } from './framework-aliases.js';

const SOURCE_FILE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/**
 * Deeper syntax trees are not analysed. TypeScript's parser and the recursive walks after it would overflow
 * the stack on a few thousand levels; hand-written code stays far below this.
 */
export const MAX_AST_DEPTH = 1000;

/**
 * Imports are followed this many files deep from the route files. TypeScript loads imports recursively, so a
 * chain of thousands of files would overflow its stack; the analysis follows far fewer calls than this anyway.
 */
export const MAX_IMPORT_DEPTH = 64;

export interface ParsedProject {
  program: ts.Program;
  checker: ts.TypeChecker;
  root: string;
  relative(fileName: string): string;
}

const BASE_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
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

export function createParsedProject(index: SourceIndex, rootNames: string[], errors: ScanError[]): ParsedProject {
  const root = index.root;
  const guard = new RootGuard(root);
  // Indexed files were checked when they were read; anything else is checked against real paths.
  const insideRoot = (file: string) => index.files.has(path.resolve(file)) || guard.reallyInside(file);
  const configs = new TsconfigCache(root, insideRoot);
  // Every reported location asks for its file's relative path: computed once per file.
  const relativePaths = new Map<string, string>();
  const relative = (fileName: string) => {
    let known = relativePaths.get(fileName);
    if (known === undefined) relativePaths.set(fileName, (known = toPosix(path.relative(root, fileName))));
    return known;
  };
  const importDepth = new Map<string, number>(rootNames.map((name) => [path.resolve(name), 0]));
  const tooDeepImports = new Set<string>();
  /** Whether `containingFile` may bring `target` into the program: not when it is new and too far from the roots. */
  const withinImportDepth = (containingFile: string, target: string): boolean => {
    const depth = (importDepth.get(path.resolve(containingFile)) ?? 0) + 1;
    const known = importDepth.get(path.resolve(target));
    if (known !== undefined) {
      if (depth < known) importDepth.set(path.resolve(target), depth);
      return true;
    }
    if (depth > MAX_IMPORT_DEPTH) {
      if (!tooDeepImports.has(containingFile)) {
        tooDeepImports.add(containingFile);
        errors.push({ file: relative(containingFile), kind: 'too-deep', message: `imports not followed: more than ${MAX_IMPORT_DEPTH} files away from a route file` });
      }
      return false;
    }
    importDepth.set(path.resolve(target), depth);
    return true;
  };

  const resolutionCaches = new Map<ts.CompilerOptions, ts.ModuleResolutionCache>();
  const host: ts.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const text = readProjectFile(fileName);
      if (text === undefined) return undefined;
      return parseBounded(fileName, text, languageVersion, (message) => errors.push({ file: relative(fileName), kind: 'too-deep', message }));
    },
    // JSDoc in JavaScript files carries types and imports; in TypeScript files nothing the analysis reads.
    jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo,
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => root,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    // Module resolution probes many candidate paths, most of them more than once: answers are cached.
    fileExists: memo((f) =>
      index.files.has(path.resolve(f)) || ((SOURCE_FILE.test(f) || f.endsWith('package.json')) && guard.lexicallyInside(f) && isFile(f) && guard.reallyInside(f)),
    ),
    readFile: (f) => (insideRoot(f) ? readText(f) : undefined),
    directoryExists: memo((d) => guard.lexicallyInside(d) && isDirectory(d) && guard.reallyInside(d)),
    realpath: (f) => f,
    getDirectories: () => [],
    resolveModuleNameLiterals(literals, containingFile) {
      const options = configs.optionsFor(containingFile);
      const cache = resolutionCaches.get(options) ?? resolutionCaches.set(options, ts.createModuleResolutionCache(root, (f) => f, options)).get(options)!;
      return literals.map((literal) => {
        // A package name resolves only through tsconfig `paths`/`baseUrl`: dependencies are never read.
        if (isBareSpecifier(literal.text) && !options.baseUrl && !matchesPaths(literal.text, options.paths)) return { resolvedModule: undefined };
        const result = ts.resolveModuleName(literal.text, containingFile, options, host, cache);
        const resolved = result.resolvedModule;
        if (resolved && (!insideRoot(resolved.resolvedFileName) || resolved.extension === ts.Extension.Json || !withinImportDepth(containingFile, resolved.resolvedFileName))) {
          return { resolvedModule: undefined };
        }
        return { resolvedModule: resolved };
      });
    },
  };

  function readProjectFile(fileName: string): string | undefined {
    const absolute = path.resolve(fileName);
    const indexed = index.files.get(absolute);
    if (indexed) return indexed.text;
    if (index.skipped.has(absolute) || !guard.reallyInside(absolute)) return undefined;
    // A project file reached through an import but not discovered (e.g. under an ignored folder).
    return readSource(absolute, relative(absolute), guard, errors);
  }

  const program = ts.createProgram({ rootNames, options: BASE_OPTIONS, host });
  for (const sourceFile of program.getSourceFiles()) {
    for (const diagnostic of program.getSyntacticDiagnostics(sourceFile).slice(0, 1)) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      errors.push({
        file: relative(sourceFile.fileName),
        line: line + 1,
        kind: 'syntax',
        message: `syntax error: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')} (analysed as far as it parses)`,
      });
    }
  }
  // Creating the checker binds every file of the program: done on the first question that needs it.
  let checker: ts.TypeChecker | undefined;
  return {
    program,
    get checker() {
      return (checker ??= program.getTypeChecker());
    },
    root,
    relative,
  };
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

function isBareSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !path.isAbsolute(specifier);
}

/** Could a tsconfig `paths` pattern (a prefix and suffix around one star, or an exact name) map this specifier? */
function matchesPaths(specifier: string, paths: ts.MapLike<string[]> | undefined): boolean {
  if (!paths) return false;
  return Object.keys(paths).some((pattern) => {
    const star = pattern.indexOf('*');
    if (star === -1) return pattern === specifier;
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    return specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix);
  });
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
  ) {}

  optionsFor(containingFile: string): ts.CompilerOptions {
    return this.forDirectory(path.dirname(path.resolve(containingFile)));
  }

  private forDirectory(dir: string): ts.CompilerOptions {
    const cached = this.byDirectory.get(dir);
    if (cached) return cached;
    let options: ts.CompilerOptions;
    const config = ['tsconfig.json', 'jsconfig.json'].map((name) => path.join(dir, name)).find((f) => isFile(f) && this.insideRoot(f));
    if (config) options = this.load(config);
    else if (dir === this.root || !dir.startsWith(this.root)) options = withFrameworkAliases(BASE_OPTIONS, dir);
    else options = withFrameworkAliases(this.forDirectory(path.dirname(dir)), dir);
    this.byDirectory.set(dir, options);
    return options;
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
    return { ...BASE_OPTIONS, ...withFrameworkAliases(pickResolutionOptions(options), path.dirname(configFile)) };
  }
}

function pickResolutionOptions(options: ts.CompilerOptions): ts.CompilerOptions {
  const picked: ts.CompilerOptions = {};
  if (options.baseUrl) picked.baseUrl = options.baseUrl;
  if (options.paths) {
    picked.paths = options.paths;
    picked.pathsBasePath = options.pathsBasePath;
  }
  if (options.rootDirs) picked.rootDirs = options.rootDirs;
  if (options.moduleSuffixes) picked.moduleSuffixes = options.moduleSuffixes;
  return picked;
}
