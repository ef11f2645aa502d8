/**
 * Stage 4, endpoints: every entry point a remote client can call, with the ordered chain of code that runs
 * before and as its handler. One file per framework; a framework finds routes and never decides policy.
 */
import type ts from '../typescript.cjs';
import type { Evidence, Framework, UnseenElement } from '../model.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';
import type { PackageDeclaration } from '../semantic/package-name.js';
import type { ParsedProject } from '../parse/program.js';
import type { ProjectLayout } from '../discover/discover.js';
import type { CallContext, Resolver, Segment } from '../semantic/resolve.js';

/** One step of a route's chain: a middleware, a wrapper around the handler, or the handler itself. */
export interface RouteLink {
  role: 'middleware' | 'wrapper' | 'handler';
  /** The expression registered: a function, a reference to one, or a library middleware call. */
  expression: ts.Expression;
  /**
   * Where it was registered, when that was inside a function the app was passed to (`registerRoutes(app, openai)`):
   * that function entered through the call, so the expression's free parameters are the caller's arguments.
   */
  context?: CallContext;
  /** For Next.js middleware: the protections it adds apply to this route's path. */
  source?: 'next-middleware';
  /**
   * Option objects a library middleware was registered with, most specific first: a Fastify plugin's
   * `register(plugin, opts)` and a route's `config.rateLimit` override.
   */
  options?: ts.ObjectLiteralExpression[];
  /**
   * The call at which the layer hands the request on to the route (the Worker fetch handler's
   * `routeAgentRequest(request, env)`): only the code before it runs first.
   */
  handsOnAt?: ts.CallExpression;
  /** The link's function refuses the request when it returns false: a NestJS guard's `canActivate`. */
  refusesOnFalse?: boolean;
  /** Request parts the framework validates against a declared schema before the handler runs. */
  validates?: DeclaredValidation[];
  /**
   * Which parameters of the handler carry which part of the request, as segments under the request:
   * NestJS's `@Body() dto` is `body`, `@Headers('x-id') id` is `headers.x-id`. By default parameter 0 is
   * the request itself.
   */
  requestParts?: ReadonlyMap<number, Segment[]>;
  /**
   * Authentication the platform enforces before the handler runs, declared outside the code: an API
   * Gateway authorizer in `serverless.yml` or a SAM template. The evidence points at the declaration.
   */
  platformAuth?: Evidence[];
}

/** A schema the framework checks a request part against, refusing the request when it does not match. */
export interface DeclaredValidation {
  part: 'body' | 'query' | 'params' | 'headers';
  /** A JSON Schema object, a TypeBox or zod schema expression, or a class-validator DTO class. */
  schema: ts.Node;
}

export interface RouteEntry {
  framework: Framework;
  method: string;
  path: string;
  /** The route registration or handler declaration: where route-level findings point. */
  anchor: ts.Node;
  /** Ordered: project-wide layers and middleware first, the handler last. */
  chain: RouteLink[];
  /** Parts of the route's path the framework could not follow (a mount it could not resolve). */
  unseen?: UnseenElement[];
  /** The router holding the route is mounted where the scanner cannot follow: `path` is relative to it. */
  mount?: 'unresolved';
}

export interface FrameworkContext {
  project: ParsedProject;
  resolver: Resolver;
  /** Files the index marked as able to register or export routes. */
  routeFiles: ts.SourceFile[];
  /**
   * Whether a file or one it imports (transitively) names one of these packages, from the text alone: a file
   * that cannot see a framework's package cannot hold one of its apps or routers.
   */
  mayImport(file: ts.SourceFile, packages: readonly string[]): boolean;
  /** What discovery saw of the project's folders, when known: spares asking the file system for files it did not see. */
  layout?: ProjectLayout;
}

/**
 * What a framework is switched on by, for the index's cheap pre-filters: which files can hold its routes, which
 * change what runs before other files' routes, and which register routes that other files' apps mount. The
 * index's route markers and the route-file tests are built from every framework's triggers.
 */
export interface FrameworkTriggers {
  /** Packages whose import marks a file that can hold routes (`x/*` is `x` and everything under it). */
  packages?: readonly PackageDeclaration[];
  /** Other text that marks one: an entry-point export, a directive, a call on the framework's object. */
  markers?: readonly RegExp[];
  /** Route files by folder convention (a POSIX path relative to the scanned root). */
  routeFiles?: RegExp;
  /** Of those, the files whose routes are their own, and that no other route depends on. */
  ownRouteFiles?: RegExp;
  /** Middleware and hooks files that run before other files' routes. */
  layerFiles?: RegExp;
  /**
   * Code that calls other modules' exports without importing them, so imports cannot show that it reaches a
   * paid call: files by folder convention (`paths`, a POSIX path relative to the scanned root) or by text.
   */
  callsWithoutImports?: { paths?: RegExp; markers?: readonly RegExp[] };
  /** Routes and middleware registered in one file and mounted or used by others. */
  crossFile?: {
    /** Packages whose import shows it (matched with any suffix: `express` also covers `express-rate-limit`). */
    packages: readonly PackageDeclaration[];
    markers?: readonly RegExp[];
    /** Apps and routers are created in one file and given routes in files they import. */
    mounts?: boolean;
  };
}

export interface FrameworkPlugin {
  name: Framework;
  triggers: FrameworkTriggers;
  /** The authentication, rate-limit and validator libraries of the framework's ecosystem. */
  libraries?: ProtectionLibraries;
  findRoutes(context: FrameworkContext): RouteEntry[];
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
