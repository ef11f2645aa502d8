/**
 * NestJS: `@Controller('prefix')` classes whose methods carry `@Get/@Post/...(path)`. A route's chain is the
 * global middleware (`app.use(...)`, `consumer.apply(...).forRoutes(...)`), then the guards in the order Nest
 * runs them (global ones from `useGlobalGuards` and `APP_GUARD` providers, then the controller's, then the
 * method's `@UseGuards`), then the handler method. A project guard contributes its `canActivate` (which
 * refuses by returning false) and, when it defers to it, the guard it extends (`extends AuthGuard('jwt')`).
 * Guards a route opts out of are left out: `@SkipThrottle()` for throttler guards, and metadata a guard
 * checks to let the route through (`@Public()` read with `reflector.getAllAndOverride(IS_PUBLIC_KEY, ...)`).
 * Handler parameters carry the request part their decorator names (`@Body()`, `@Headers('x')`), and a
 * `@Body()` DTO counts as validated when a ValidationPipe applies to it.
 */
import ts from '../typescript.cjs';
import { type FunctionNode, isFunctionNode, objectProperty, propertyValue, stringValue, unwrap, walk } from '../semantic/ast.js';
import { type Segment, member, returnExpressions, segmentSignature } from '../semantic/resolve.js';
import type { DeclaredValidation, FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
import { joinPath } from './layered.js';
import type { ProtectionLibraries } from '../semantic/libraries.js';

const COMMON = '@nestjs/common';
const CORE = '@nestjs/core';
const NEST_PACKAGES = [COMMON, CORE];
const THROTTLER = '@nestjs/throttler';
const ROUTE_DECORATORS: Record<string, string> = {
  Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Options: 'OPTIONS', Head: 'HEAD', All: 'ALL', Sse: 'GET',
};
/** Parameter decorators and the request part they inject. */
const PARAM_PARTS: Record<string, string[]> = {
  Body: ['body'], Query: ['query'], Param: ['params'], Headers: ['headers'], Req: [], Request: [], Ip: ['ip'], Session: ['session'],
};
const VALIDATION_PARTS: Record<string, DeclaredValidation['part']> = { Body: 'body', Query: 'query', Param: 'params' };
/**
 * Pipes that validate a parameter against its DTO class (or the schema they are given) and refuse with 400:
 * class-validator DTOs need Nest's ValidationPipe, DTOs made with `createZodDto` need nestjs-zod's pipe.
 */
const VALIDATION_PIPES: { module: string; name: string; validates: 'class-validator' | 'zod' }[] = [
  { module: COMMON, name: 'ValidationPipe', validates: 'class-validator' },
  { module: 'nestjs-zod', name: 'ZodValidationPipe', validates: 'zod' },
];
type DtoKind = (typeof VALIDATION_PIPES)[number]['validates'];

interface Controller {
  declaration: ts.ClassDeclaration;
  prefix: string;
}

interface Middleware {
  expression: ts.Expression;
  /** Undefined: every route. */
  routes?: (controller: ts.ClassDeclaration, path: string) => boolean;
}

/** NestJS's authentication and throttling guards, and its harmless plumbing. */
const NEST_LIBRARIES: ProtectionLibraries = {
  authMiddleware: [{ module: '@nestjs/passport', signature: /^AuthGuard(\.\(\))?$/, name: 'NestJS AuthGuard', anonymousStrategy: true }],
  // `JwtService` is injected (`constructor(private jwt: JwtService)`); its verifiers throw on a bad signature.
  throwingVerifiers: [{ module: /^@nestjs\/jwt$/, signature: /(^|\.)verify(Async)?$/, name: '@nestjs/jwt JwtService.verify()' }],
  unverifiedDecoders: [{ module: /^@nestjs\/jwt$/, signature: /(^|\.)decode\.\(\)/ }],
  middlewareLimiters: [{ module: '@nestjs/throttler', signature: /^ThrottlerGuard$/, keyMethod: 'getTracker', defaultKey: 'ip' }],
  harmless: [{ module: /^(@nestjs\/common|@nestjs\/core)$/ }],
  injectedClasses: ['@nestjs/jwt'],
};

export const nestFramework: FrameworkPlugin = {
  name: 'nestjs',
  libraries: NEST_LIBRARIES,
  triggers: { packages: ['@nestjs/common', '@nestjs/core'], crossFile: { packages: ['@nestjs/*'] } },
  findRoutes(context) {
    return new NestRoutes(context).find();
  },
};

class NestRoutes {
  private readonly controllers: Controller[] = [];
  private readonly globalGuards: ts.Expression[] = [];
  private readonly middleware: Middleware[] = [];
  private globalPrefix = '';
  private readonly globalValidation = new Set<DtoKind>();

  constructor(private readonly context: FrameworkContext) {}

  find(): RouteEntry[] {
    // Controllers, providers and the app are declared with @nestjs/common and @nestjs/core: a file whose imports
    // cannot reach either holds none of them.
    for (const sourceFile of this.context.routeFiles) {
      if (this.context.mayImport(sourceFile, NEST_PACKAGES)) this.collect(sourceFile);
    }
    const routes: RouteEntry[] = [];
    for (const controller of this.controllers) {
      for (const method of controller.declaration.members) {
        if (!ts.isMethodDeclaration(method)) continue;
        for (const route of this.routeDecorators(method)) {
          const localPath = joinPath(controller.prefix, route.path);
          routes.push({
            framework: 'nestjs',
            method: route.method,
            path: joinPath(this.globalPrefix, localPath),
            anchor: method,
            chain: this.chain(controller, method, localPath),
          });
        }
      }
    }
    return routes;
  }

  private collect(sourceFile: ts.SourceFile): void {
    walk(sourceFile, (node) => {
      if (ts.isClassDeclaration(node)) {
        const decorator = this.decorator(node, COMMON, 'Controller');
        if (decorator) this.controllers.push({ declaration: node, prefix: absolutePath(controllerPrefix(decorator)) });
      } else if (ts.isObjectLiteralExpression(node)) {
        this.collectProvider(node);
      } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        this.collectAppCall(node, node.expression.name.text);
      }
    });
  }

  /** `{ provide: APP_GUARD, useClass: JwtAuthGuard }`, `{ provide: APP_PIPE, useValue: new ValidationPipe() }`. */
  private collectProvider(object: ts.ObjectLiteralExpression): void {
    const provide = propertyValue(objectProperty(object, 'provide'));
    if (!provide) return;
    const token = this.moduleMember(provide, CORE);
    if (token !== 'APP_GUARD' && token !== 'APP_PIPE') return;
    const value = ['useClass', 'useExisting', 'useValue'].map((name) => propertyValue(objectProperty(object, name))).find(Boolean);
    if (!value) return;
    if (token === 'APP_GUARD') this.globalGuards.push(value);
    else this.addValidation(this.globalValidation, [value]);
  }

  /** `app.useGlobalGuards(...)`, `app.useGlobalPipes(...)`, `app.setGlobalPrefix(...)`, `app.use(...)`, `consumer.apply(...).forRoutes(...)`. */
  private collectAppCall(call: ts.CallExpression, name: string): void {
    const receiver = (call.expression as ts.PropertyAccessExpression).expression;
    if (name === 'forRoutes') {
      this.collectConsumer(call);
      return;
    }
    if (!['useGlobalGuards', 'useGlobalPipes', 'setGlobalPrefix', 'use'].includes(name) || !this.isNestApp(receiver)) return;
    if (name === 'useGlobalGuards') this.globalGuards.push(...call.arguments);
    else if (name === 'useGlobalPipes') this.addValidation(this.globalValidation, call.arguments);
    else if (name === 'setGlobalPrefix') this.globalPrefix = absolutePath(stringValue(call.arguments[0]) ?? this.globalPrefix);
    else for (const argument of call.arguments) this.middleware.push({ expression: argument });
  }

  /** `consumer.apply(AuthMiddleware).exclude('health').forRoutes(ChatController | 'chat/*')`. */
  private collectConsumer(forRoutes: ts.CallExpression): void {
    let current: ts.Expression = (forRoutes.expression as ts.PropertyAccessExpression).expression;
    const excluded: ts.Expression[] = [];
    let applied: readonly ts.Expression[] | undefined;
    while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
      const name = current.expression.name.text;
      if (name === 'exclude') excluded.push(...current.arguments);
      else if (name === 'apply') {
        applied = current.arguments;
        break;
      } else return;
      current = current.expression.expression;
    }
    if (!applied) return;
    const targets = forRoutes.arguments.map((a) => this.routeMatcher(a));
    const exclusions = excluded.map((a) => this.routeMatcher(a));
    const routes = (controller: ts.ClassDeclaration, path: string) =>
      targets.some((t) => t(controller, path)) && !exclusions.some((t) => t(controller, path));
    for (const expression of applied) {
      for (const link of this.middlewareExpressions(expression)) this.middleware.push({ expression: link, routes });
    }
  }

  private routeMatcher(argument: ts.Expression): (controller: ts.ClassDeclaration, path: string) => boolean {
    const e = unwrap(argument);
    const literal = stringValue(e) ?? (ts.isObjectLiteralExpression(e) ? stringValue(propertyValue(objectProperty(e, 'path'))) : undefined);
    if (literal !== undefined) {
      // Route paths as Nest writes them: `*`, `chat/*`, `public/(.*)`, `users/:id`.
      const source = literal
        .replace(/^\//, '')
        .replace(/\(\.\*\)/g, '*')
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/:\w+/g, '[^/]+');
      const pattern = new RegExp(`^${source}/?$`);
      return (_controller, path) => pattern.test(path.replace(/^\//, ''));
    }
    const target = this.classOf(e);
    return (controller) => controller === target;
  }

  /** A middleware class contributes its `use` method; functions and library middleware are links themselves. */
  private middlewareExpressions(expression: ts.Expression): ts.Expression[] {
    const declaration = this.classOf(expression);
    if (!declaration) return [expression];
    const use = classMethod(declaration, 'use');
    return use ? [use as unknown as ts.Expression] : [];
  }

  private chain(controller: Controller, method: ts.MethodDeclaration, localPath: string): RouteLink[] {
    const links: RouteLink[] = [];
    for (const m of this.middleware) {
      if (!m.routes || m.routes(controller.declaration, localPath)) links.push({ role: 'middleware', expression: m.expression });
    }
    const guards = [
      ...this.globalGuards,
      ...this.decoratorArguments(controller.declaration, 'UseGuards'),
      ...this.decoratorArguments(method, 'UseGuards'),
    ];
    for (const guard of guards) links.push(...this.guardLinks(guard, controller.declaration, method, new Set()));
    const parameters = this.parameterParts(method);
    const validates = this.validations(controller.declaration, method);
    links.push({
      role: 'handler',
      expression: method as unknown as ts.Expression,
      ...(parameters.size ? { requestParts: parameters } : {}),
      ...(validates.length ? { validates } : {}),
    });
    return links;
  }

  /** The links a guard adds to a route, or none when the route opts out of it. */
  private guardLinks(guard: ts.Expression, controller: ts.ClassDeclaration, method: ts.MethodDeclaration, seen: Set<ts.Node>): RouteLink[] {
    if (this.isThrottlerGuard(guard, new Set()) && this.skipsThrottle(controller, method)) return [];
    const declaration = this.classOf(guard);
    if (!declaration) return [{ role: 'middleware', expression: guard }];
    if (seen.has(declaration)) return [];
    seen.add(declaration);
    if (this.routeBypasses(declaration, controller, method)) return [];
    const links: RouteLink[] = [];
    const canActivate = classMethod(declaration, 'canActivate');
    if (canActivate) links.push({ role: 'middleware', expression: canActivate as unknown as ts.Expression, refusesOnFalse: true });
    const parent = heritage(declaration);
    if (parent && (!canActivate || callsSuper(canActivate, 'canActivate'))) links.push(...this.guardLinks(parent, controller, method, seen));
    return links;
  }

  private isThrottlerGuard(guard: ts.Expression, seen: Set<ts.Node>): boolean {
    if (this.moduleMember(guard, THROTTLER) === 'ThrottlerGuard') return true;
    const declaration = this.classOf(guard);
    if (!declaration || seen.has(declaration)) return false;
    seen.add(declaration);
    const parent = heritage(declaration);
    return !!parent && this.isThrottlerGuard(parent, seen);
  }

  /** `@SkipThrottle()` on the method, else on the controller; `@SkipThrottle({ default: false })` undoes it. */
  private skipsThrottle(controller: ts.ClassDeclaration, method: ts.MethodDeclaration): boolean {
    for (const owner of [method, controller]) {
      const decorator = this.decorator(owner, THROTTLER, 'SkipThrottle');
      if (!decorator) continue;
      const argument = decorator.arguments[0] && unwrap(decorator.arguments[0]);
      if (!argument || argument.kind === ts.SyntaxKind.TrueKeyword) return true;
      if (argument.kind === ts.SyntaxKind.FalseKeyword) return false;
      if (ts.isObjectLiteralExpression(argument)) {
        const value = propertyValue(objectProperty(argument, 'default'));
        return !value || unwrap(value).kind !== ts.SyntaxKind.FalseKeyword;
      }
      return true;
    }
    return false;
  }

  /**
   * A guard that lets a route through on metadata, `if (isPublic) return true` with
   * `isPublic = this.reflector.getAllAndOverride(IS_PUBLIC_KEY, [...])`, does not protect routes that carry
   * that metadata (`@Public()`, built on `SetMetadata(IS_PUBLIC_KEY, true)`).
   */
  private routeBypasses(guard: ts.ClassDeclaration, controller: ts.ClassDeclaration, method: ts.MethodDeclaration): boolean {
    const canActivate = classMethod(guard, 'canActivate');
    if (!canActivate) return false;
    const bypass = this.bypassKeys(canActivate);
    if (bypass.present.size === 0 && bypass.absent.size === 0) return false;
    const routeKeys = new Set<string>();
    for (const owner of [method, controller]) {
      for (const decorator of ts.getDecorators(owner) ?? []) for (const key of this.metadataKeys(decorator.expression)) routeKeys.add(key);
    }
    return [...bypass.present].some((key) => routeKeys.has(key)) || [...bypass.absent].some((key) => !routeKeys.has(key));
  }

  /**
   * Metadata keys that make `canActivate` return true early: when the route carries them
   * (`if (isPublic) return true`), or when it does not (`if (!requiredRoles) return true`).
   */
  private bypassKeys(canActivate: ts.MethodDeclaration): { present: Set<string>; absent: Set<string> } {
    const present = new Set<string>();
    const absent = new Set<string>();
    walk(canActivate, (node) => {
      if (!ts.isIfStatement(node) || !returnsTrue(node.thenStatement)) return;
      const keys = isNegation(node.expression) ? absent : present;
      walk(node, (inner) => {
        if (inner === node.thenStatement) return false;
        if (ts.isIdentifier(inner)) {
          const declaration = this.context.resolver.declarationOf(inner);
          if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) this.reflectedKeys(declaration.initializer, keys);
        }
        if (ts.isCallExpression(inner)) this.reflectedKeys(inner, keys);
      });
    });
    return { present, absent };
  }

  /** `reflector.get(KEY, ...)` / `getAllAndOverride(KEY, ...)` / `getAllAndMerge(KEY, ...)` keys in an expression. */
  private reflectedKeys(expression: ts.Node, keys: Set<string>): void {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(get|getAllAndOverride|getAllAndMerge)$/.test(node.expression.name.text)) {
        const key = node.arguments[0] && this.keyOf(node.arguments[0]);
        if (key) keys.add(key);
      }
      ts.forEachChild(node, visit);
    };
    visit(expression);
  }

  /** Keys a decorator sets with `SetMetadata(KEY, value)`, directly or through a function returning it. */
  private metadataKeys(expression: ts.Expression): string[] {
    const e = unwrap(expression);
    const call = ts.isCallExpression(e) ? e : undefined;
    if (!call) return [];
    if (this.moduleMember(call.expression, COMMON) === 'SetMetadata') {
      const key = call.arguments[0] && this.keyOf(call.arguments[0]);
      return key ? [key] : [];
    }
    const fn = this.context.resolver.resolveFunction(call.expression);
    if (!fn) return [];
    return returnExpressions(fn.fn).flatMap((returned) => {
      const inner = unwrap(returned);
      if (ts.isCallExpression(inner) && this.moduleMember(inner.expression, COMMON) === 'SetMetadata') {
        const key = inner.arguments[0] && this.keyOf(inner.arguments[0]);
        return key ? [key] : [];
      }
      if (ts.isCallExpression(inner) && this.moduleMember(inner.expression, COMMON) === 'applyDecorators') {
        return inner.arguments.flatMap((a) => this.metadataKeys(a));
      }
      return [];
    });
  }

  /** A metadata key's identity: its string value, through the constant that holds it. */
  private keyOf(expression: ts.Expression): string | undefined {
    const direct = stringValue(expression);
    if (direct !== undefined) return direct;
    const e = unwrap(expression);
    if (!ts.isIdentifier(e)) return undefined;
    const declaration = this.context.resolver.declarationOf(e);
    if (declaration && ts.isVariableDeclaration(declaration)) return stringValue(declaration.initializer) ?? `${declaration.getSourceFile().fileName}#${e.text}`;
    return undefined;
  }

  /** Which handler parameters carry which request part, by their decorators. */
  private parameterParts(method: ts.MethodDeclaration): Map<number, Segment[]> {
    const parts = new Map<number, Segment[]>();
    method.parameters.forEach((parameter, index) => {
      for (const decorator of ts.getDecorators(parameter) ?? []) {
        const part = this.decoratorPart(decorator.expression);
        if (part) {
          parts.set(index, part);
          break;
        }
      }
    });
    return parts;
  }

  private decoratorPart(expression: ts.Expression): Segment[] | undefined {
    const e = unwrap(expression);
    if (!ts.isCallExpression(e)) return undefined;
    const name = this.moduleMember(e.expression, COMMON);
    if (name && PARAM_PARTS[name]) {
      const key = stringValue(e.arguments[0]);
      return [...PARAM_PARTS[name], ...(key ? [key] : [])].map(member);
    }
    return this.customParamPart(e.expression);
  }

  /** `createParamDecorator((data, ctx) => ctx.switchToHttp().getRequest().user)`: the request part it returns. */
  private customParamPart(callee: ts.Expression): Segment[] | undefined {
    const resolved = this.context.resolver.resolve(callee);
    if (resolved?.root.kind !== 'module' || resolved.root.module !== COMMON) return undefined;
    if (segmentSignature(resolved.segments) !== 'createParamDecorator.()') return undefined;
    const call = resolved.segments[1];
    const factory = call?.kind === 'call' && call.call.arguments[0] ? this.context.resolver.resolveFunction(call.call.arguments[0]) : undefined;
    const executionContext = factory?.fn.parameters[1];
    if (!factory || !executionContext) return undefined;
    for (const returned of returnExpressions(factory.fn)) {
      const path = this.context.resolver.resolve(returned);
      if (path?.root.kind === 'param' && path.root.param === executionContext) return path.segments;
    }
    return undefined;
  }

  /** A `@Body()` / `@Query()` DTO class, validated when a pipe for its kind applies to the parameter. */
  private validations(controller: ts.ClassDeclaration, method: ts.MethodDeclaration): DeclaredValidation[] {
    const scoped = new Set(this.globalValidation);
    for (const owner of [controller, method]) this.addValidation(scoped, this.decoratorArguments(owner, 'UsePipes'));
    const found: DeclaredValidation[] = [];
    for (const parameter of method.parameters) {
      for (const decorator of ts.getDecorators(parameter) ?? []) {
        const e = unwrap(decorator.expression);
        if (!ts.isCallExpression(e)) continue;
        const part = VALIDATION_PARTS[this.moduleMember(e.expression, COMMON) ?? ''];
        if (!part || stringValue(e.arguments[0]) !== undefined) continue;
        const pipes = e.arguments;
        // `@Body(new ZodValidationPipe(ChatSchema))`: the pipe carries the schema.
        const schemaPipe = pipes.map(unwrap).find((p) => ts.isNewExpression(p) && this.pipeKind(p) && p.arguments?.length && !ts.isObjectLiteralExpression(unwrap(p.arguments[0])));
        if (schemaPipe && ts.isNewExpression(schemaPipe)) {
          found.push({ part, schema: schemaPipe.arguments![0] });
          continue;
        }
        const dto = parameter.type && this.typeClass(parameter.type);
        const applying = new Set(scoped);
        this.addValidation(applying, pipes);
        if (dto && applying.has(dtoKind(dto))) found.push({ part, schema: dto });
      }
    }
    return found;
  }

  private typeClass(type: ts.TypeNode): ts.ClassDeclaration | undefined {
    if (!ts.isTypeReferenceNode(type)) return undefined;
    const name = ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.right;
    const declaration = this.context.resolver.declarationOf(name);
    return declaration && ts.isClassDeclaration(declaration) ? declaration : undefined;
  }

  private pipeKind(expression: ts.Expression): DtoKind | undefined {
    const e = unwrap(expression);
    const target = ts.isNewExpression(e) ? e.expression : e;
    return VALIDATION_PIPES.find((pipe) => this.moduleMember(target, pipe.module) === pipe.name)?.validates;
  }

  private addValidation(kinds: Set<DtoKind>, pipes: readonly ts.Expression[]): void {
    for (const pipe of pipes) {
      const kind = this.pipeKind(pipe);
      if (kind) kinds.add(kind);
    }
  }

  private isNestApp(expression: ts.Expression): boolean {
    const resolved = this.context.resolver.resolve(expression);
    return resolved?.root.kind === 'module' && resolved.root.module === CORE && /^NestFactory\.create/.test(segmentSignature(resolved.segments));
  }

  /** The project class an expression names (`JwtAuthGuard`, `new JwtAuthGuard(reflector)`). */
  private classOf(expression: ts.Expression): ts.ClassDeclaration | undefined {
    let e = unwrap(expression);
    if (ts.isNewExpression(e)) e = unwrap(e.expression);
    if (!ts.isIdentifier(e)) return undefined;
    const declaration = this.context.resolver.declarationOf(e);
    return declaration && ts.isClassDeclaration(declaration) && !declaration.getSourceFile().isDeclarationFile ? declaration : undefined;
  }

  /** The export name when an expression is `module`'s export (or a call of it): `Post('chat')` → `Post`. */
  private moduleMember(expression: ts.Expression, module: string): string | undefined {
    let e = unwrap(expression);
    if (ts.isCallExpression(e)) e = unwrap(e.expression);
    const resolved = this.context.resolver.resolve(e);
    if (resolved?.root.kind !== 'module' || resolved.root.module !== module) return undefined;
    const names = resolved.segments.filter((s) => s.kind === 'member').map((s) => (s as { name: string }).name);
    return resolved.segments.every((s) => s.kind === 'member') && names.length === 1 ? names[0] : undefined;
  }

  private decorator(node: ts.HasDecorators, module: string, name: string): ts.CallExpression | undefined {
    for (const decorator of ts.getDecorators(node) ?? []) {
      const e = unwrap(decorator.expression);
      if (ts.isCallExpression(e) && this.moduleMember(e.expression, module) === name) return e;
    }
    return undefined;
  }

  private decoratorArguments(node: ts.HasDecorators, name: string): ts.Expression[] {
    const found: ts.Expression[] = [];
    for (const decorator of ts.getDecorators(node) ?? []) {
      const e = unwrap(decorator.expression);
      if (ts.isCallExpression(e) && this.moduleMember(e.expression, COMMON) === name) found.push(...e.arguments);
    }
    return found;
  }

  private routeDecorators(method: ts.MethodDeclaration): { method: string; path: string }[] {
    const found: { method: string; path: string }[] = [];
    for (const decorator of ts.getDecorators(method) ?? []) {
      const e = unwrap(decorator.expression);
      if (!ts.isCallExpression(e)) continue;
      const name = this.moduleMember(e.expression, COMMON);
      if (name && ROUTE_DECORATORS[name]) {
        for (const path of routePaths(e.arguments[0])) found.push({ method: ROUTE_DECORATORS[name], path });
      }
    }
    return found;
  }
}

/** Nest paths are written with or without their leading slash: `'api'`, `'/api'`. */
function absolutePath(path: string): string {
  return path ? `/${path.replace(/^\/+/, '')}` : '';
}

function controllerPrefix(decorator: ts.CallExpression): string {
  const argument = decorator.arguments[0] && unwrap(decorator.arguments[0]);
  if (!argument) return '';
  if (ts.isObjectLiteralExpression(argument)) return routePath(propertyValue(objectProperty(argument, 'path')));
  return routePath(argument);
}

/** `@Post(['chat', 'messages'])` registers the handler under each path. */
function routePaths(argument: ts.Expression | undefined): string[] {
  const e = argument && unwrap(argument);
  if (e && ts.isArrayLiteralExpression(e)) return e.elements.map((element) => stringValue(element as ts.Expression) ?? '');
  return [routePath(argument)];
}

function routePath(argument: ts.Expression | undefined): string {
  if (!argument) return '';
  const e = unwrap(argument);
  if (ts.isArrayLiteralExpression(e)) return routePath(e.elements[0] as ts.Expression | undefined);
  return stringValue(e) ?? '';
}

/** `class ChatDto extends createZodDto(ChatSchema) {}` is a zod DTO; any other class a class-validator one. */
function dtoKind(dto: ts.ClassDeclaration): DtoKind {
  const parent = heritage(dto);
  const call = parent && unwrap(parent);
  return call && ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'createZodDto' ? 'zod' : 'class-validator';
}

function classMethod(declaration: ts.ClassDeclaration, name: string): ts.MethodDeclaration | undefined {
  return declaration.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name && !!m.body);
}

/** The class a guard extends: `AuthGuard('jwt')`, `ThrottlerGuard`, another project guard. */
function heritage(declaration: ts.ClassDeclaration): ts.Expression | undefined {
  const clause = declaration.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword);
  return clause?.types[0]?.expression;
}

function callsSuper(fn: FunctionNode, name: string): boolean {
  let found = false;
  walk(fn, (node) => {
    if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword && node.name.text === name) found = true;
    return !found && !(isFunctionNode(node) && node !== fn && !ts.isArrowFunction(node));
  });
  return found;
}

/** `!x`, `!x?.length`, `x === undefined`, `x == null`. */
function isNegation(condition: ts.Expression): boolean {
  const e = unwrap(condition);
  if (ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.ExclamationToken;
  if (ts.isBinaryExpression(e) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(e.operatorToken.kind)) {
    const other = unwrap(e.right);
    return other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined');
  }
  return false;
}

function returnsTrue(statement: ts.Statement): boolean {
  const returned = ts.isReturnStatement(statement) ? statement : ts.isBlock(statement) && statement.statements.length === 1 ? statement.statements[0] : undefined;
  return !!returned && ts.isReturnStatement(returned) && !!returned.expression && unwrap(returned.expression).kind === ts.SyntaxKind.TrueKeyword;
}
