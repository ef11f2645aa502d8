/**
 * Schemas a framework checks before the handler runs, refusing requests that do not match: a Fastify route's
 * `schema` (JSON Schema or TypeBox), a NestJS `@Body()` DTO under a ValidationPipe (class-validator), and
 * validator middleware such as Hono's `zValidator('json', schema)`. For a request value (`body.messages`),
 * which input bounds does the declared schema establish?
 */
import ts from '../typescript.cjs';
import type { DeclaredValidation } from '../frameworks/types.js';
import type { InputBound } from '../model.js';
import { calleeName, objectProperty, propertyNameText, propertyValue, stringValue, unwrap } from '../semantic/ast.js';
import { type Resolver, segmentSignature } from '../semantic/resolve.js';
import type { ProtectionScope } from './scope.js';

export type Semantics = 'messages' | 'text';
/** What a zod/valibot schema leaves unbounded (the analysis input-bounds already has). */
export type ExpressionSchemaCheck = (schema: ts.Expression, fields: string[], semantics: Semantics) => Set<InputBound>;

const VALIDATOR_TARGETS: Record<string, DeclaredValidation['part']> = { json: 'body', form: 'body', query: 'query', param: 'params', header: 'headers' };
/** How a request part is named in request-origin keys. */
const PART_KEYS: Record<DeclaredValidation['part'], string> = { body: 'body', query: 'query', params: 'params', headers: 'header' };

const TYPEBOX_MODULES = new Set(['@sinclair/typebox', 'typebox', '@fastify/type-provider-typebox']);
const CLASS_VALIDATOR = 'class-validator';

/** Bounds that declared schemas establish for the request value named `key` (`body.messages`). */
export function declaredBounds(scope: ProtectionScope, key: string, semantics: Semantics, expressionSchema: ExpressionSchemaCheck): InputBound[] {
  const bounds = new Set<InputBound>();
  for (const { schema, fields } of declaredSchemasOf(scope, key)) {
    const missing = schemaMissing(schema, fields, semantics, scope.resolver, expressionSchema);
    for (const bound of requiredBounds(semantics)) if (!missing.has(bound)) bounds.add(bound);
  }
  return [...bounds];
}

/** The declared schemas that check the request value named `key`, with the field path inside each. */
export function declaredSchemasOf(scope: ProtectionScope, key: string): { schema: ts.Node; fields: string[] }[] {
  const found: { schema: ts.Node; fields: string[] }[] = [];
  for (const validation of [...scope.validations, ...middlewareValidations(scope)]) {
    const partKey = PART_KEYS[validation.part];
    if (key === partKey || key.startsWith(partKey + '.')) found.push({ schema: validation.schema, fields: key.slice(partKey.length).split('.').filter(Boolean) });
  }
  return found;
}

function requiredBounds(semantics: Semantics): InputBound[] {
  return semantics === 'messages' ? ['array-length', 'item-size', 'roles'] : ['item-size'];
}

/** `zValidator('json', ChatSchema)` and its kin on the route's chain. */
function middlewareValidations(scope: ProtectionScope): DeclaredValidation[] {
  const found: DeclaredValidation[] = [];
  for (const link of scope.libraryLinks) {
    const path = link.path;
    if (path?.root.kind !== 'module') continue;
    const module = path.root.module;
    const known = scope.libraries.validatorMiddleware.find((v) => v.module === module && segmentSignature(path.segments) === `${v.name}.()`);
    const call = path.segments[1];
    if (!known || call?.kind !== 'call') continue;
    const part = VALIDATOR_TARGETS[stringValue(call.call.arguments[0]) ?? ''];
    const schema = call.call.arguments[1];
    if (part && schema) found.push({ part, schema });
  }
  return found;
}

/** The bounds a schema of any supported dialect leaves missing at a field path. */
function schemaMissing(schema: ts.Node, fields: string[], semantics: Semantics, resolver: Resolver, expressionSchema: ExpressionSchemaCheck): Set<InputBound> {
  if (ts.isClassDeclaration(schema)) return new ClassValidatorSchema(resolver, expressionSchema).missing(schema, fields, semantics);
  const expression = schema as ts.Expression;
  const json = jsonSchemaObject(expression, resolver);
  if (json) return jsonSchemaMissing(json, fields, semantics, resolver);
  const typebox = new TypeBoxSchema(resolver);
  if (typebox.is(expression)) return typebox.missing(expression, fields, semantics);
  return expressionSchema(expression, fields, semantics);
}

// JSON Schema --------------------------------------------------------------------------------------------

/** A JSON Schema object literal (through constants and `as const`). */
function jsonSchemaObject(expression: ts.Expression | undefined, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  let e = expression && unwrap(expression);
  for (let i = 0; i < 5 && e && ts.isIdentifier(e); i++) {
    const declaration = resolver.declarationOf(e);
    e = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
  }
  if (!e || !ts.isObjectLiteralExpression(e)) return undefined;
  const keywords = ['type', 'properties', 'items', 'maxLength', 'maxItems', 'enum', 'const', 'anyOf', 'oneOf', '$ref'];
  return e.properties.some((p) => keywords.includes(propertyNameText(p.name) ?? '')) ? e : undefined;
}

function jsonSchemaMissing(schema: ts.ObjectLiteralExpression, fields: string[], semantics: Semantics, resolver: Resolver): Set<InputBound> {
  const keyword = (node: ts.ObjectLiteralExpression, name: string) => propertyValue(objectProperty(node, name));
  let node: ts.ObjectLiteralExpression | undefined = schema;
  for (const field of fields) {
    const properties: ts.ObjectLiteralExpression | undefined = node && jsonSchemaObjectLiteral(keyword(node, 'properties'), resolver);
    node = properties && jsonSchemaObject(propertyValue(objectProperty(properties, field)), resolver);
  }
  const missing = new Set<InputBound>(requiredBounds(semantics));
  if (!node) return missing;
  if (semantics === 'text') {
    if (keyword(node, 'maxLength') || isJsonChoice(node)) missing.delete('item-size');
    return missing;
  }
  if (keyword(node, 'maxItems')) missing.delete('array-length');
  const items = jsonSchemaObject(keyword(node, 'items'), resolver);
  if (!items) return missing;
  const itemProperties = jsonSchemaObjectLiteral(keyword(items, 'properties'), resolver);
  if (!itemProperties) {
    if (keyword(items, 'maxLength')) missing.delete('item-size');
    return missing;
  }
  const content = jsonSchemaObject(propertyValue(objectProperty(itemProperties, 'content')), resolver);
  if (content && keyword(content, 'maxLength')) missing.delete('item-size');
  const role = jsonSchemaObject(propertyValue(objectProperty(itemProperties, 'role')), resolver);
  const closed = keyword(items, 'additionalProperties')?.kind === ts.SyntaxKind.FalseKeyword;
  if ((role && isJsonChoice(role)) || (!role && closed)) missing.delete('roles');
  return missing;
}

function jsonSchemaObjectLiteral(expression: ts.Expression | undefined, resolver: Resolver): ts.ObjectLiteralExpression | undefined {
  let e = expression && unwrap(expression);
  if (e && ts.isIdentifier(e)) {
    const declaration = resolver.declarationOf(e);
    e = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
  }
  return e && ts.isObjectLiteralExpression(e) ? e : undefined;
}

/** `enum: [...]`, `const: 'user'`, or `anyOf` / `oneOf` of constants. */
function isJsonChoice(node: ts.ObjectLiteralExpression): boolean {
  if (objectProperty(node, 'enum') || objectProperty(node, 'const')) return true;
  for (const name of ['anyOf', 'oneOf']) {
    const options = propertyValue(objectProperty(node, name));
    const list = options && unwrap(options);
    if (list && ts.isArrayLiteralExpression(list) && list.elements.length > 0) {
      return list.elements.every((element) => {
        const option = unwrap(element);
        return ts.isObjectLiteralExpression(option) && !!(objectProperty(option, 'const') || objectProperty(option, 'enum'));
      });
    }
  }
  return false;
}

// TypeBox -------------------------------------------------------------------------------------------------

/** TypeBox: `Type.Object({...})`, `Type.Array(item, { maxItems })`, `Type.String({ maxLength })`, unions of literals. */
class TypeBoxSchema {
  constructor(private readonly resolver: Resolver) {}

  is(expression: ts.Expression): boolean {
    return this.kind(this.definition(expression)) !== undefined;
  }

  missing(expression: ts.Expression, fields: string[], semantics: Semantics): Set<InputBound> {
    let node = this.definition(expression);
    for (const field of fields) {
      const shape = node && this.kind(node) === 'Object' ? node.arguments[0] && unwrap(node.arguments[0]) : undefined;
      node = shape && ts.isObjectLiteralExpression(shape) ? this.definition(propertyValue(objectProperty(shape, field))) : undefined;
    }
    const missing = new Set<InputBound>(requiredBounds(semantics));
    if (!node) return missing;
    if (semantics === 'text') {
      if (this.option(node, 'maxLength') || this.isChoice(node)) missing.delete('item-size');
      return missing;
    }
    if (this.kind(node) !== 'Array') return missing;
    if (this.option(node, 'maxItems')) missing.delete('array-length');
    const item = this.definition(node.arguments[0]);
    if (!item) return missing;
    if (this.kind(item) !== 'Object') {
      if (this.option(item, 'maxLength')) missing.delete('item-size');
      return missing;
    }
    const shape = item.arguments[0] && unwrap(item.arguments[0]);
    if (!shape || !ts.isObjectLiteralExpression(shape)) return missing;
    const content = this.definition(propertyValue(objectProperty(shape, 'content')));
    if (content && this.option(content, 'maxLength')) missing.delete('item-size');
    const role = this.definition(propertyValue(objectProperty(shape, 'role')));
    const closed = this.optionValue(item, 'additionalProperties')?.kind === ts.SyntaxKind.FalseKeyword;
    if ((role && this.isChoice(role)) || (!role && closed)) missing.delete('roles');
    return missing;
  }

  /** The TypeBox call behind an expression, through constants and `Type.Optional(...)`. */
  private definition(expression: ts.Expression | undefined): ts.CallExpression | undefined {
    let e = expression && unwrap(expression);
    for (let i = 0; i < 6 && e; i++) {
      if (ts.isIdentifier(e)) {
        const declaration = this.resolver.declarationOf(e);
        e = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? unwrap(declaration.initializer) : undefined;
        continue;
      }
      if (ts.isCallExpression(e) && ['Optional', 'Readonly'].includes(this.kind(e) ?? '') && e.arguments[0]) {
        e = unwrap(e.arguments[0]);
        continue;
      }
      break;
    }
    return e && ts.isCallExpression(e) && this.kind(e) ? e : undefined;
  }

  private kind(call: ts.CallExpression | undefined): string | undefined {
    if (!call) return undefined;
    const path = this.resolver.resolve(call.expression);
    if (path?.root.kind !== 'module' || !TYPEBOX_MODULES.has(path.root.module)) return undefined;
    const names = path.segments.map((s) => (s.kind === 'member' ? s.name : ''));
    return names.length === 2 && names[0] === 'Type' ? names[1] : undefined;
  }

  private optionValue(call: ts.CallExpression, name: string): ts.Expression | undefined {
    for (const argument of call.arguments) {
      const e = unwrap(argument);
      if (ts.isObjectLiteralExpression(e)) {
        const value = propertyValue(objectProperty(e, name));
        if (value) return value;
      }
    }
    return undefined;
  }

  private option(call: ts.CallExpression, name: string): boolean {
    return this.optionValue(call, name) !== undefined;
  }

  private isChoice(call: ts.CallExpression): boolean {
    const kind = this.kind(call);
    if (kind === 'Literal' || kind === 'Enum') return true;
    if (kind !== 'Union') return false;
    const members = call.arguments[0] && unwrap(call.arguments[0]);
    return !!members && ts.isArrayLiteralExpression(members) && members.elements.every((m) => {
      const member = this.definition(m as ts.Expression);
      return !!member && this.kind(member) === 'Literal';
    });
  }
}

// class-validator --------------------------------------------------------------------------------------------

/**
 * class-validator DTOs: `@ArrayMaxSize(40)` caps a list, `@MaxLength(4000)` / `@Length(1, 4000)` a string,
 * `@IsIn([...])` / `@IsEnum(...)` the roles, and nested DTOs count only with `@ValidateNested()` and
 * `@Type(() => MessageDto)`. A DTO built from a zod schema (`createZodDto(schema)`) is that schema.
 */
class ClassValidatorSchema {
  constructor(
    private readonly resolver: Resolver,
    private readonly expressionSchema: ExpressionSchemaCheck,
  ) {}

  missing(dto: ts.ClassDeclaration, fields: string[], semantics: Semantics, depth = 0): Set<InputBound> {
    const missing = new Set<InputBound>(requiredBounds(semantics));
    const zod = this.zodSchema(dto);
    if (zod) return this.expressionSchema(zod, fields, semantics);
    if (fields.length === 0 || depth > 4) return missing;
    const property = this.property(dto, fields[0]);
    if (!property) return missing;
    if (fields.length > 1) {
      const nested = this.nestedClass(property);
      return nested ? this.missing(nested, fields.slice(1), semantics, depth + 1) : missing;
    }
    if (semantics === 'text') {
      if (this.capsLength(property) || this.isChoice(property)) missing.delete('item-size');
      return missing;
    }
    if (this.has(property, 'ArrayMaxSize')) missing.delete('array-length');
    const item = this.nestedClass(property);
    if (!item) {
      if (this.capsLength(property, true)) missing.delete('item-size');
      return missing;
    }
    const content = this.property(item, 'content');
    if (content && this.capsLength(content)) missing.delete('item-size');
    const role = this.property(item, 'role');
    if (role && this.isChoice(role)) missing.delete('roles');
    return missing;
  }

  /** `class ChatDto extends createZodDto(ChatSchema) {}` (nestjs-zod). */
  private zodSchema(dto: ts.ClassDeclaration): ts.Expression | undefined {
    const parent = dto.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    const call = parent && unwrap(parent);
    return call && ts.isCallExpression(call) && calleeName(call) === 'createZodDto' ? call.arguments[0] : undefined;
  }

  /** A property of the DTO or of a class it extends. */
  private property(dto: ts.ClassDeclaration, name: string, depth = 0): ts.PropertyDeclaration | undefined {
    const own = dto.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && propertyNameText(m.name) === name);
    if (own || depth > 4) return own;
    const parent = dto.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    const base = parent && ts.isIdentifier(parent) ? this.resolver.declarationOf(parent) : undefined;
    return base && ts.isClassDeclaration(base) ? this.property(base, name, depth + 1) : undefined;
  }

  /** class-validator decorators on a property, by export name. */
  private decorators(property: ts.PropertyDeclaration): { name: string; call: ts.CallExpression }[] {
    const found: { name: string; call: ts.CallExpression }[] = [];
    for (const decorator of ts.getDecorators(property) ?? []) {
      const e = unwrap(decorator.expression);
      if (!ts.isCallExpression(e)) continue;
      const path = this.resolver.resolve(e.expression);
      if (path?.root.kind !== 'module') continue;
      const name = path.segments[path.segments.length - 1];
      if (name?.kind === 'member') found.push({ name: path.root.module === CLASS_VALIDATOR ? name.name : `${path.root.module}:${name.name}`, call: e });
    }
    return found;
  }

  private has(property: ts.PropertyDeclaration, name: string): boolean {
    return this.decorators(property).some((d) => d.name === name);
  }

  /** `@MaxLength(n)` or `@Length(min, max)`; for a list of strings, with `{ each: true }`. */
  private capsLength(property: ts.PropertyDeclaration, each = false): boolean {
    return this.decorators(property).some(({ name, call }) => {
      const capped = name === 'MaxLength' || (name === 'Length' && call.arguments.length >= 2 && !isOptionsObject(call.arguments[1]));
      return capped && (!each || call.arguments.some((a) => isEachOption(a)));
    });
  }

  private isChoice(property: ts.PropertyDeclaration): boolean {
    return this.decorators(property).some((d) => ['IsIn', 'IsEnum', 'Equals'].includes(d.name));
  }

  /** The DTO of a nested property: `@ValidateNested()` with `@Type(() => MessageDto)`. */
  private nestedClass(property: ts.PropertyDeclaration): ts.ClassDeclaration | undefined {
    const decorators = this.decorators(property);
    if (!decorators.some((d) => d.name === 'ValidateNested')) return undefined;
    const type = decorators.find((d) => d.name === 'class-transformer:Type');
    const factory = type?.call.arguments[0] && unwrap(type.call.arguments[0]);
    if (!factory || !(ts.isArrowFunction(factory) || ts.isFunctionExpression(factory))) return undefined;
    const body = ts.isBlock(factory.body) ? undefined : unwrap(factory.body);
    const declaration = body && ts.isIdentifier(body) ? this.resolver.declarationOf(body) : undefined;
    return declaration && ts.isClassDeclaration(declaration) ? declaration : undefined;
  }
}

function isOptionsObject(argument: ts.Expression): boolean {
  return ts.isObjectLiteralExpression(unwrap(argument));
}

function isEachOption(argument: ts.Expression): boolean {
  const e = unwrap(argument);
  if (!ts.isObjectLiteralExpression(e)) return false;
  const each = propertyValue(objectProperty(e, 'each'));
  return !!each && unwrap(each).kind === ts.SyntaxKind.TrueKeyword;
}
