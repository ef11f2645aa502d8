/**
 * Stage 3, parse: a TypeScript program over just the files that can matter and the project files they
 * import, with TypeScript's own module resolution (tsconfig `paths`, `baseUrl`, index files, re-exports,
 * CommonJS `require` in JavaScript). The host never reads outside the scanned root, never reads
 * dependencies under node_modules, and treats tsconfig files as data.
 */
import { ts } from 'ts-morph';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ScanError } from '../model.js';
import { MAX_FILE_BYTES, toPosix, type SourceIndex } from './source-index.js';

const SOURCE_FILE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

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
  const insideRoot = (file: string) => {
    const resolved = path.resolve(file);
    return (resolved === root || resolved.startsWith(root + path.sep)) && !resolved.split(path.sep).includes('node_modules');
  };
  const configs = new TsconfigCache(root, insideRoot);

  const host: ts.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const text = readProjectFile(fileName);
      if (text === undefined) return undefined;
      return ts.createSourceFile(fileName, text, languageVersion, true, scriptKind(fileName));
    },
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => root,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => insideRoot(f) && (index.files.has(path.resolve(f)) || (SOURCE_FILE.test(f) && isFile(f)) || f.endsWith('package.json') && isFile(f)),
    readFile: (f) => (insideRoot(f) ? readText(f) : undefined),
    directoryExists: (d) => insideRoot(d) && isDirectory(d),
    realpath: (f) => f,
    getDirectories: () => [],
    resolveModuleNameLiterals(literals, containingFile) {
      const options = configs.optionsFor(containingFile);
      return literals.map((literal) => {
        const result = ts.resolveModuleName(literal.text, containingFile, options, host);
        const resolved = result.resolvedModule;
        if (resolved && (!insideRoot(resolved.resolvedFileName) || resolved.extension === ts.Extension.Json)) {
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
    if (!insideRoot(absolute)) return undefined;
    // A project file reached through an import but not discovered (e.g. under an ignored folder).
    try {
      if (statSync(absolute).size > MAX_FILE_BYTES) return undefined;
      return readFileSync(absolute, 'utf8');
    } catch {
      return undefined;
    }
  }

  const program = ts.createProgram({ rootNames, options: BASE_OPTIONS, host });
  for (const sourceFile of program.getSourceFiles()) {
    for (const diagnostic of program.getSyntacticDiagnostics(sourceFile).slice(0, 1)) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      errors.push({
        file: toPosix(path.relative(root, sourceFile.fileName)),
        line: line + 1,
        kind: 'syntax',
        message: `syntax error: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')} (analysed as far as it parses)`,
      });
    }
  }
  return {
    program,
    checker: program.getTypeChecker(),
    root,
    relative: (fileName) => toPosix(path.relative(root, fileName)),
  };
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.(jsx)$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function readText(file: string): string | undefined {
  try {
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
    const config = ['tsconfig.json', 'jsconfig.json'].map((name) => path.join(dir, name)).find((f) => existsSync(f));
    if (config) options = this.load(config);
    else if (dir === this.root || !dir.startsWith(this.root)) options = BASE_OPTIONS;
    else options = this.forDirectory(path.dirname(dir));
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
      fileExists: (f) => this.insideRoot(f) && existsSync(f),
      readFile,
    };
    const { options } = ts.parseJsonConfigFileContent(
      { compilerOptions: parsed.config.compilerOptions ?? {}, extends: parsed.config.extends, files: [] },
      parseHost,
      path.dirname(configFile),
    );
    return { ...BASE_OPTIONS, ...pickResolutionOptions(options) };
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
