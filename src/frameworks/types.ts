/**
 * Stage 4, endpoints: every entry point a remote client can call, with the ordered chain of code that runs
 * before and as its handler. One file per framework; a framework finds routes and never decides policy.
 */
import type { ts } from 'ts-morph';
import type { Framework } from '../model.js';
import type { ParsedProject } from '../engine/program.js';
import type { Resolver } from '../analysis/resolve.js';

/** One step of a route's chain: a middleware, a wrapper around the handler, or the handler itself. */
export interface RouteLink {
  role: 'middleware' | 'wrapper' | 'handler';
  /** The expression registered: a function, a reference to one, or a library middleware call. */
  expression: ts.Expression;
  /** For Next.js middleware: the protections it adds apply to this route's path. */
  source?: 'next-middleware';
}

export interface RouteEntry {
  framework: Framework;
  method: string;
  path: string;
  /** The route registration or handler declaration: where route-level findings point. */
  anchor: ts.Node;
  /** Ordered: project-wide layers and middleware first, the handler last. */
  chain: RouteLink[];
}

export interface FrameworkContext {
  project: ParsedProject;
  resolver: Resolver;
  /** Files the index marked as able to register or export routes. */
  routeFiles: ts.SourceFile[];
}

export interface FrameworkPlugin {
  name: Framework;
  findRoutes(context: FrameworkContext): RouteEntry[];
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
