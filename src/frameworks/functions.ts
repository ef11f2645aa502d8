/**
 * Serverless functions, one exported handler per entry point:
 * - AWS Lambda behind API Gateway or a function URL: handlers named by `serverless.yml` / a SAM template with
 *   HTTP events (path, method and gateway authorizers from there), or exports that show they serve API
 *   Gateway (`aws-lambda` `APIGateway*` / `LambdaFunctionURL*` types). Middy `middy(fn).use(...)` is looked through.
 * - Firebase `onRequest` / `onCall` (v2 `firebase-functions/https`, v1 `functions.https.*`), at `/<export>`.
 * - Vercel functions: `api/**` beside a project's package.json, default `(req, res)` / Web handlers or
 *   `GET`/`POST` exports.
 * - Netlify functions: `netlify/functions/*` (or the folder netlify.toml names): v2 default exports with their
 *   `config.path`, v1 `handler` exports; edge functions under `netlify/edge-functions`.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '../typescript.cjs';
import type { ParsedProject } from '../parse/program.js';
import type { Evidence } from '../model.js';
import { isFunctionNode, locationOf, objectProperty, propertyValue, stringValue, unwrap, walk } from '../semantic/ast.js';
import { type Segment, member } from '../semantic/resolve.js';
import { HTTP_METHODS, type FrameworkContext, type FrameworkPlugin, type RouteEntry, type RouteLink } from './types.js';
import { type ModuleExport, bracketSegment, definedHandlerChain, exportsEntry, joinRoute, moduleExports, singleMethod } from './module-exports.js';
import { type DeployedFunction, deployedFunctions } from './platform-config.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';

const SOURCE_EXTENSION = /\.(?:ts|mts|js|mjs|cjs)$/;

// ---------------------------------------------------------------------------------------------------------
// AWS Lambda

const LAMBDA_EVENT_TYPES = /\b(APIGatewayProxy\w*|APIGatewayEvent|LambdaFunctionURL\w*|ALB(Event|Handler|Result)\w*)\b/;
const MIDDY_MODULE = /^@middy\/core$/;

/** Middy's middleware that protect nothing: parsers, validators, loggers. */
const LAMBDA_LIBRARIES: ProtectionLibraries = {
  harmless: [{ module: /^@middy\/(core|http-[a-z-]+|validator|input-output-logger|error-logger|do-not-wait-for-empty-event-loop)$/ }],
};

export const lambdaFramework: FrameworkPlugin = {
  name: 'aws-lambda',
  libraries: LAMBDA_LIBRARIES,
  triggers: { packages: ['aws-lambda', '@middy/core'], markers: [/\b(?:module\.)?exports\.handler\b/, exportsEntry('\\w*[hH]andler')] },
  findRoutes(context) {
    const files = context.routeFiles.filter((f) => !isPlatformFile(context.project.relative(f.fileName), context.project));
    const deployed = deployedFunctions(context.project.root, files.map((f) => f.fileName), context.layout);
    const routes: RouteEntry[] = [];
    for (const sourceFile of files) {
      const module = sourceFile.fileName.replace(SOURCE_EXTENSION, '');
      const declared = deployed.filter((d) => path.resolve(d.module) === path.resolve(module));
      const exports = moduleExports(sourceFile);
      for (const exported of exports) {
        const deployments = declared.filter((d) => d.exportName === exported.name);
        if (deployments.length) {
          for (const deployment of deployments) routes.push(...deployedRoutes(exported, deployment, context));
        } else if (!declared.length && servesApiGateway(exported)) {
          const chain = withAuthorizerClaims(lambdaChain(exported.value, context), context);
          routes.push({ framework: 'aws-lambda', method: 'ALL', path: `lambda:${exported.name}`, anchor: exported.anchor, chain });
        }
      }
    }
    return routes;
  },
};

function deployedRoutes(exported: ModuleExport, deployment: DeployedFunction, context: FrameworkContext): RouteEntry[] {
  return deployment.triggers.map((trigger) => {
    const chain = lambdaChain(exported.value, context);
    if (trigger.authenticatedBy) {
      const handler = chain[chain.length - 1];
      chain[chain.length - 1] = {
        ...handler,
        platformAuth: [{ description: `${deployment.descriptor} puts ${trigger.authenticatedBy} in front of this function`, location: descriptorLocation(deployment) }],
      };
    }
    return { framework: 'aws-lambda', method: trigger.method, path: trigger.path, anchor: exported.anchor, chain: trigger.authenticatedBy ? chain : withAuthorizerClaims(chain, context) };
  });
}

/**
 * A handler that reads the gateway authorizer's claims without `?.` (`event.requestContext.authorizer.jwt.claims.sub`)
 * fails for a caller the gateway did not authenticate: the gateway's authorizer, configured outside this
 * repository (CDK, console), stands before it.
 */
function withAuthorizerClaims(chain: RouteLink[], context: FrameworkContext): RouteLink[] {
  const handler = chain[chain.length - 1];
  const fn = handler && context.resolver.resolveFunction(handler.expression);
  if (!fn?.fn.body) return chain;
  let read: ts.Node | undefined;
  walk(fn.fn.body, (node) => {
    if (read || isFunctionNode(node)) return false;
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'authorizer' && !node.questionDotToken) {
      const base = node.expression;
      const member = node.parent;
      if (ts.isPropertyAccessExpression(base) && base.name.text === 'requestContext' && ts.isPropertyAccessExpression(member) && member.expression === node && !member.questionDotToken) read = node;
    }
  });
  if (!read) return chain;
  const evidence = { description: 'reads the API Gateway authorizer claims, which only an authenticated request carries', location: locationOf(context.project, read) };
  return [...chain.slice(0, -1), { ...handler, platformAuth: [...(handler.platformAuth ?? []), evidence] }];
}

function descriptorLocation(deployment: DeployedFunction) {
  return { file: deployment.descriptor, line: deployment.line, column: 1, endLine: deployment.line, endColumn: 1 };
}

/** An export that handles API Gateway events, by its declared types. */
function servesApiGateway(exported: ModuleExport): boolean {
  return LAMBDA_EVENT_TYPES.test(typeText(exported));
}

/** The type annotations of an export and of its function's first parameter. */
function typeText(exported: ModuleExport): string {
  const parts: string[] = [];
  const anchor = exported.anchor;
  if (ts.isVariableStatement(anchor)) for (const d of anchor.declarationList.declarations) if (d.type) parts.push(d.type.getText());
  const value = unwrap(exported.value);
  const fn = ts.isFunctionDeclaration(value) || ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
  if (fn?.parameters[0]?.type) parts.push(fn.parameters[0].type.getText());
  return parts.join(' ');
}

/** `middy(fn).use(mw)...` and `middy().use(mw).handler(fn)`: middleware objects' `before` hooks, then the handler. */
function lambdaChain(value: ts.Expression, context: FrameworkContext): RouteLink[] {
  const middleware: RouteLink[] = [];
  let current = unwrap(value);
  let handler: ts.Expression | undefined;
  for (let i = 0; i < 20 && ts.isCallExpression(current); i++) {
    const callee = unwrap(current.expression);
    if (ts.isPropertyAccessExpression(callee) && ['use', 'before', 'handler'].includes(callee.name.text)) {
      const argument = current.arguments[0];
      if (callee.name.text === 'handler' && argument) handler = argument;
      else if (argument) middleware.unshift(...middyMiddleware(argument, callee.name.text === 'before'));
      current = unwrap(callee.expression);
      continue;
    }
    if (isMiddy(current, context)) {
      handler ??= current.arguments[0];
      return handler ? [...middleware, ...definedHandlerChain(handler, context, [])] : [];
    }
    break;
  }
  return definedHandlerChain(value, context, []);
}

function isMiddy(call: ts.CallExpression, context: FrameworkContext): boolean {
  const path = context.resolver.resolve(call.expression);
  return path?.root.kind === 'module' && MIDDY_MODULE.test(path.root.module);
}

/** A middy middleware object `{ before }` runs its `before` hook before the handler. */
function middyMiddleware(argument: ts.Expression, isBeforeHook: boolean): RouteLink[] {
  const arguments_ = ts.isArrayLiteralExpression(unwrap(argument)) ? (unwrap(argument) as ts.ArrayLiteralExpression).elements : [argument];
  return arguments_.map((element) => {
    const e = unwrap(element);
    const before = !isBeforeHook && ts.isObjectLiteralExpression(e) ? propertyValue(objectProperty(e, 'before')) ?? methodOf(e, 'before') : undefined;
    return { role: 'middleware', expression: before ?? element };
  });
}

function methodOf(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const method = object.properties.find((p) => ts.isMethodDeclaration(p) && p.name.getText() === name);
  return method as unknown as ts.Expression | undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Firebase

const FIREBASE_MODULE = /^firebase-functions(\/.*)?$/;

export const firebaseFramework: FrameworkPlugin = {
  name: 'firebase-functions',
  triggers: { packages: ['firebase-functions/*'], markers: [/\b(?:module\.)?exports\.\w+\s*=\s*(?:async\b|function\b|\()/] },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      for (const exported of moduleExports(sourceFile)) {
        const trigger = firebaseTrigger(exported.value, context);
        if (!trigger) continue;
        const fn = context.resolver.resolveFunction(trigger.handler);
        if (!fn) continue; // onRequest(app): an Express app, whose routes the Express support finds
        const callableV1 = trigger.kind === 'onCall' && fn.fn.parameters.length >= 2 && /^(context|ctx)$/.test(fn.fn.parameters[1].name.getText());
        const chain = definedHandlerChain(trigger.handler, context, []);
        if (callableV1) {
          chain[chain.length - 1] = { ...chain[chain.length - 1], requestParts: new Map<number, Segment[]>([[0, [member('body')]], [1, []]]) };
        }
        if (trigger.kind === 'onCallGenkit') {
          // The flow's function takes the callable's data as its input.
          const platformAuth = genkitAuthPolicy(trigger.options, context);
          chain[chain.length - 1] = { ...chain[chain.length - 1], requestParts: new Map<number, Segment[]>([[0, [member('body')]]]), ...(platformAuth.length ? { platformAuth } : {}) };
        }
        routes.push({
          framework: 'firebase-functions',
          method: trigger.kind === 'onRequest' ? 'ALL' : 'POST',
          path: `/${exported.name}`,
          anchor: exported.anchor,
          chain,
        });
      }
    }
    return routes;
  },
};

type FirebaseTrigger = { kind: 'onRequest' | 'onCall' | 'onCallGenkit'; handler: ts.Expression; options?: ts.Expression };

/** `onRequest(opts?, fn)`, `onCall(opts?, fn)`, and `onCallGenkit(opts?, flow)`, which serves a Genkit flow as a callable. */
function firebaseTrigger(value: ts.Expression, context: FrameworkContext): FirebaseTrigger | undefined {
  const call = unwrap(value);
  if (!ts.isCallExpression(call)) return undefined;
  const path = context.resolver.resolve(call.expression);
  if (path?.root.kind !== 'module' || !FIREBASE_MODULE.test(path.root.module)) return undefined;
  const last = path.segments[path.segments.length - 1];
  const kind = last?.kind === 'member' && (last.name === 'onRequest' || last.name === 'onCall' || last.name === 'onCallGenkit') ? last.name : undefined;
  const handler = call.arguments[call.arguments.length - 1];
  return kind && handler ? { kind, handler, options: call.arguments.length > 1 ? call.arguments[0] : undefined } : undefined;
}

/**
 * `onCallGenkit({ authPolicy })`: Firebase refuses callers the policy rejects before the flow runs. A policy
 * that returns true for everyone is no check.
 */
function genkitAuthPolicy(options: ts.Expression | undefined, context: FrameworkContext): Evidence[] {
  const object = options && unwrap(options);
  const policy = object && ts.isObjectLiteralExpression(object) ? objectProperty(object, 'authPolicy') : undefined;
  const value = propertyValue(policy);
  if (!policy || !value) return [];
  const e = unwrap(value);
  if ((ts.isArrowFunction(e) || ts.isFunctionExpression(e)) && ts.isExpression(e.body) && unwrap(e.body).kind === ts.SyntaxKind.TrueKeyword) return [];
  return [{ location: locationOf(context.project, policy), description: 'onCallGenkit authPolicy: Firebase refuses callers the policy rejects' }];
}

// ---------------------------------------------------------------------------------------------------------
// Vercel

const VERCEL_FILE = /^(?:(.*)\/)?api\/(.+)\.(?:ts|mts|js|mjs|cjs)$/;

export const vercelFramework: FrameworkPlugin = {
  name: 'vercel-functions',
  triggers: { packages: ['@vercel/node'], routeFiles: /(^|\/)api\// },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    for (const sourceFile of context.routeFiles) {
      const relative = context.project.relative(sourceFile.fileName);
      const match = VERCEL_FILE.exec(relative);
      if (!match || !isVercelApiFolder(context.project, match[1] ?? '', match[2])) continue;
      const routePath = joinRoute('api', ...match[2].split('/').map((s) => bracketSegment(s, 'catch-all')));
      routes.push(...webHandlerRoutes(sourceFile, 'vercel-functions', routePath, context));
    }
    return routes;
  },
};

/** `api/` of a deployable project (a package.json or vercel.json beside it) that is not a Next.js app. */
function isVercelApiFolder(project: ParsedProject, projectRoot: string, rest: string): boolean {
  if (rest.split('/').some((s) => s.startsWith('_'))) return false;
  return isDeployableNonNextFolder(project, path.join(project.root, projectRoot));
}

const deployableFolders = new WeakMap<ParsedProject, Map<string, boolean>>();

/** Asked for every file under the folder: answered once a scan. */
function isDeployableNonNextFolder(project: ParsedProject, dir: string): boolean {
  let answers = deployableFolders.get(project);
  if (!answers) deployableFolders.set(project, (answers = new Map()));
  let known = answers.get(dir);
  if (known === undefined) {
    const hasManifest = existsSync(path.join(dir, 'package.json')) || existsSync(path.join(dir, 'vercel.json'));
    const isNext = ['js', 'mjs', 'ts', 'cjs'].some((e) => existsSync(path.join(dir, `next.config.${e}`)));
    answers.set(dir, (known = hasManifest && !isNext));
  }
  return known;
}

// ---------------------------------------------------------------------------------------------------------
// Netlify

const NETLIFY_FILE = /^(?:(.*?)\/)?netlify\/(functions|edge-functions)\/(.+)\.(?:ts|mts|js|mjs|cjs)$/;

export const netlifyFramework: FrameworkPlugin = {
  name: 'netlify-functions',
  triggers: { packages: ['@netlify/functions', '@netlify/edge-functions'], routeFiles: /(^|\/)netlify\/(functions|edge-functions)\// },
  findRoutes(context) {
    const routes: RouteEntry[] = [];
    const customFolders = netlifyFunctionFolders(context.project.root);
    for (const sourceFile of context.routeFiles) {
      const relative = context.project.relative(sourceFile.fileName);
      const name = netlifyFunctionName(relative, customFolders);
      if (!name) continue;
      const configured = configuredRoute(sourceFile);
      const routePath = configured.path ?? `/.netlify/functions/${name}`;
      routes.push(...webHandlerRoutes(sourceFile, 'netlify-functions', routePath, context, ['handler'], configured.method));
    }
    return routes;
  },
};

/** `netlify/functions/chat.ts`, `netlify/functions/chat/index.ts` or `chat/chat.ts` → `chat`. */
function netlifyFunctionName(relative: string, customFolders: string[]): string | undefined {
  const match = NETLIFY_FILE.exec(relative);
  let rest = match?.[3];
  if (!rest) {
    const folder = customFolders.find((f) => relative.startsWith(f + '/'));
    rest = folder ? relative.slice(folder.length + 1).replace(SOURCE_EXTENSION, '') : undefined;
  }
  if (!rest) return undefined;
  const parts = rest.split('/');
  if (parts.length === 1) return parts[0];
  if (parts.length === 2 && (parts[1] === 'index' || parts[1] === parts[0])) return parts[0];
  return undefined;
}

/** `[functions] directory = "functions"` in netlify.toml at the root. */
function netlifyFunctionFolders(root: string): string[] {
  const file = path.join(root, 'netlify.toml');
  try {
    if (!lstatSync(file).isFile()) return [];
    const text = readFileSync(file, 'utf8');
    const section = /\[functions\]([^[]*)/.exec(text)?.[1] ?? '';
    const directory = /^\s*directory\s*=\s*["']([^"']+)["']/m.exec(section)?.[1];
    return directory ? [directory.replace(/^\.\//, '').replace(/\/$/, '')] : [];
  } catch {
    return [];
  }
}

/** `export const config = { path: '/api/chat', method: 'POST' }` (a Netlify v2 function's route). */
function configuredRoute(sourceFile: ts.SourceFile): { path?: string; method?: string } {
  const config = moduleExports(sourceFile).find((e) => e.name === 'config');
  const object = config && unwrap(config.value);
  if (!object || !ts.isObjectLiteralExpression(object)) return {};
  const single = (name: string) => {
    const value = propertyValue(objectProperty(object, name));
    const e = value && unwrap(value);
    if (e && ts.isArrayLiteralExpression(e)) return e.elements.length === 1 ? stringValue(e.elements[0]) : undefined;
    return stringValue(e);
  };
  return { path: single('path'), method: single('method')?.toUpperCase() };
}

// ---------------------------------------------------------------------------------------------------------
// Shared

/**
 * The handlers of a function file: named HTTP-method exports (Web handlers), the default export (a function
 * or a `{ fetch }` object) and, for Lambda-compatible platforms, `handler`.
 */
function webHandlerRoutes(
  sourceFile: ts.SourceFile,
  framework: 'vercel-functions' | 'netlify-functions',
  routePath: string,
  context: FrameworkContext,
  extraNames: string[] = [],
  configuredMethod?: string,
): RouteEntry[] {
  const routes: RouteEntry[] = [];
  for (const exported of moduleExports(sourceFile)) {
    const isMethod = (HTTP_METHODS as readonly string[]).includes(exported.name);
    if (!isMethod && exported.name !== 'default' && !extraNames.includes(exported.name)) continue;
    let value = unwrap(exported.value);
    if (ts.isObjectLiteralExpression(value)) {
      const fetch = propertyValue(objectProperty(value, 'fetch')) ?? methodOf(value, 'fetch');
      if (!fetch) continue;
      value = fetch;
    }
    const chain = exported.name === 'handler' ? lambdaChain(value, context) : definedHandlerChain(value, context, []);
    const fn = context.resolver.resolveFunction(chain[chain.length - 1]?.expression ?? value);
    if (!fn) continue;
    if (framework === 'netlify-functions' && exported.name === 'default') {
      // (req: Request, context: Context): the context carries the client address (`context.ip`).
      chain[chain.length - 1] = { ...chain[chain.length - 1], requestParts: new Map<number, Segment[]>([[0, []], [1, []]]) };
    }
    const method = isMethod ? exported.name : configuredMethod ?? singleMethod(fn.fn, ['method', 'httpMethod']);
    routes.push({ framework, method, path: routePath, anchor: exported.anchor, chain });
  }
  return routes;
}

/** Files another platform's conventions own: not Lambda handlers, not fetch-handler entry points. */
export function isPlatformFile(relative: string, project: ParsedProject): boolean {
  if (NETLIFY_FILE.test(relative)) return true;
  const vercel = VERCEL_FILE.exec(relative);
  return !!vercel && isVercelApiFolder(project, vercel[1] ?? '', vercel[2]);
}
