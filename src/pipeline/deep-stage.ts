/**
 * The deep stage, for a set of route files: parse them, find their routes (src/frameworks), and for each
 * route reach its paid calls and the protections before them (src/analysis). Everything else a route needs
 * is parsed on demand. The result is plain data, so the stage can run in a worker thread on part of the
 * route files (parallel.ts).
 */
import { analyzeRoute } from '../facts/facts.js';
import { customAiProvider, type CustomFunctions } from '../facts/custom-functions.js';
import type { AttackerAssumptions } from '../pricing/estimate.js';
import { Resolver } from '../semantic/resolve.js';
import { FRAMEWORKS, type FrameworkContext, PROTECTION_LIBRARIES } from '../frameworks/index.js';
import type { RouteEntry } from '../frameworks/types.js';
import type { AiCall, Endpoint, ScanError } from '../model.js';
import { paidCallSites } from '../reach/paid-call-sites.js';
import { isDeclaredPackage, packageName, packagesSource } from '../semantic/package-name.js';
import { PROVIDERS, SDK_MODULES } from '../providers/index.js';
import { ImportGraph, importClosure } from '../parse/import-graph.js';
import { createParsedProject, MAX_IMPORT_DEPTH, type ParsedProject } from '../parse/program.js';
import { hasOnlyItsOwnRoutes, mayRegisterRoutes } from './route-files.js';
import { aiPackages, callsWithoutImports, importsMountingFramework } from './triggers.js';
import type { IndexedFile, SourceIndex } from '../parse/source-index.js';
import { mentionsAi } from './build-index.js';

/** Packages whose classes, as a parameter's or field's type, stand for an instance: AI SDKs, injected protections. */
const INSTANCE_MODULES: ReadonlySet<string> = new Set([...SDK_MODULES, ...PROTECTION_LIBRARIES.injectedClasses]);

/** What the config tells the analyses: the project's own helpers, and what an attacker is assumed to hold. */
export interface AnalysisSettings {
  custom: CustomFunctions;
  attackers: AttackerAssumptions;
}

/** An endpoint as the analysis finds it, before it has an id and the protections view the reports show. */
export type AnalyzedEndpoint = Omit<Endpoint, 'id' | 'facts'>;

/**
 * Routes analysed per file. Hand-written files register a few dozen at most; a generated file with tens of
 * thousands would cost seconds and gigabytes for routes that all look alike. The rest are noted, not analysed.
 */
export const MAX_ROUTES_PER_FILE = 1_000;

export interface DeepStageResult {
  endpoints: AnalyzedEndpoint[];
  errors: ScanError[];
  /** Absolute paths of every file parsed, route files and the helpers reached from them. */
  parsedFiles: string[];
  /** Every paid call site in application code (in the files asked for), when asked for (one part of a parallel scan lists them). */
  paidCalls?: AiCall[];
}

export function runDeepStage(
  index: SourceIndex,
  routeFilePaths: readonly string[],
  { custom, attackers }: AnalysisSettings,
  onRouteAnalysed: () => void = () => undefined,
  listPaidCallsIn?: (file: IndexedFile) => boolean,
): DeepStageResult {
  const errors: ScanError[] = [];
  const project = createParsedProject(index, errors);
  const graph = new ImportGraph(project, mayCallAi(project, custom.aiWrappers), isAiPackage);
  const wanted = new Set([...routeFilePaths, ...registeringImports(index, routeFilePaths, project)]);
  // A file-routed route file whose imports reach no AI SDK or provider host has no endpoint to report.
  const routeFiles = project.filesWhere((f) => wanted.has(f.path) && (!hasOnlyItsOwnRoutes(f) || graph.reaches(f.path)));
  const endpoints: AnalyzedEndpoint[] = [];
  const resolver = new Resolver(project, INSTANCE_MODULES, graph);
  const providers = custom.aiWrappers.length ? [customAiProvider(custom.aiWrappers), ...PROVIDERS] : PROVIDERS;
  if (routeFiles.length > 0) {
    const context: FrameworkContext = { project, resolver, routeFiles, mayImport: packageImports(project), ...(index.layout ? { layout: index.layout } : {}) };
    const budget = new RoutesPerFile(MAX_ROUTES_PER_FILE);
    for (const framework of FRAMEWORKS) {
      for (const route of safely(() => framework.findRoutes(context), errors, `${framework.name} routes`) ?? []) {
        if (budget.allows(route.anchor.getSourceFile().fileName)) {
          const onBudgetHit = (message: string) => errors.push({ ...placeOf(route, project), kind: 'budget', message });
          const analyse = () => analyzeRoute(route, project, resolver, providers, PROTECTION_LIBRARIES, custom, attackers, onBudgetHit);
          const endpoint = safely(analyse, errors, `${route.method} ${route.path}`);
          if (endpoint) endpoints.push(endpoint);
        }
        onRouteAnalysed();
      }
    }
    errors.push(...budget.notes(project));
  }
  const paidCalls = listPaidCallsIn ? safely(() => paidCallSites(project, resolver, providers, listPaidCallsIn), errors, 'paid call sites') ?? [] : undefined;
  return { endpoints, errors, parsedFiles: project.parsedFilePaths(), ...(paidCalls ? { paidCalls } : {}) };
}

/**
 * Files that apps and routers (Express, Koa, Hono, Fastify) import and that register routes or middleware on
 * what they import, such as `router.post('/chat', ...)` in a file that imports `router` from another. They name
 * no framework, so the index does not mark them.
 */
function registeringImports(index: SourceIndex, routeFilePaths: readonly string[], project: ParsedProject): string[] {
  const apps = routeFilePaths.filter((file) => importsMountingFramework(index.files.get(file)?.text ?? ''));
  if (apps.length === 0) return [];
  const closure = importClosure(project, apps, MAX_IMPORT_DEPTH);
  return [...closure].filter((file) => {
    const text = index.files.get(file)?.text;
    return text !== undefined && mayRegisterRoutes(text);
  });
}

/** Answers FrameworkContext.mayImport with one import graph per set of packages. */
function packageImports(project: ParsedProject): FrameworkContext['mayImport'] {
  const graphs = new Map<string, ImportGraph>();
  return (file, packages) => {
    const key = packages.join('\n');
    let graph = graphs.get(key);
    if (!graph) {
      const names = new RegExp(`['"](?:${packagesSource(packages)})['"]`);
      graphs.set(key, (graph = new ImportGraph(project, (_file, text) => names.test(text))));
    }
    return graph.reaches(file.fileName);
  };
}

/**
 * Whether a file's own text may make a paid call: it names an AI SDK or provider host, or a configured AI
 * wrapper; or a framework runs other modules' exports from it without an import (Nitro server code, a Convex
 * function run by reference).
 */
function mayCallAi(project: ParsedProject, aiWrappers: readonly string[]): (fileName: string, text: string) => boolean {
  const wrapperNames = aiWrappers.map((name) => name.split('.').pop()!);
  return (fileName, text) =>
    mentionsAi(text) || wrapperNames.some((name) => text.includes(name)) || callsWithoutImports(fileName === '' ? '' : project.relative(fileName), text);
}

/** A package an AI provider is imported from, however it is spelled (`npm:openai@4`, `@ai-sdk/openai`). */
function isAiPackage(specifier: string): boolean {
  return isDeclaredPackage(packageName(specifier), aiPackages());
}

function placeOf(route: RouteEntry, project: ParsedProject): { file: string; line: number } {
  const file = route.anchor.getSourceFile();
  return { file: project.relative(file.fileName), line: file.getLineAndCharacterOfPosition(route.anchor.getStart(file)).line + 1 };
}

/** Counts routes per file; past the limit a file's routes are skipped, and one note per file says how many. */
class RoutesPerFile {
  private readonly counts = new Map<string, number>();

  constructor(private readonly limit: number) {}

  allows(fileName: string): boolean {
    const count = (this.counts.get(fileName) ?? 0) + 1;
    this.counts.set(fileName, count);
    return count <= this.limit;
  }

  notes(project: ParsedProject): ScanError[] {
    return [...this.counts].flatMap(([fileName, count]) =>
      count > this.limit
        ? [{ file: project.relative(fileName), kind: 'budget' as const, message: `${count} routes registered: only the first ${this.limit} analysed, ${count - this.limit} not` }]
        : [],
    );
  }
}

/** One broken route or framework must not stop the scan: it becomes an entry in `errors`. */
function safely<T>(work: () => T, errors: ScanError[], what: string): T | undefined {
  try {
    return work();
  } catch (error) {
    errors.push({ kind: 'internal', message: `could not analyse ${what}: ${error instanceof Error ? error.message : String(error)}` });
    return undefined;
  }
}
