/**
 * Deployment descriptors that say which exported function answers which HTTP route: Serverless Framework
 * `serverless.yml` and AWS SAM `template.yaml`. They are read as data (never executed), only inside the
 * scanned root, found by walking up from the source files.
 */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { MAX_FILE_BYTES } from '../discover/file-limits.js';
import { DESCRIPTOR_NAMES, type ProjectLayout } from '../discover/discover.js';

/** One HTTP trigger of a deployed function. */
export interface HttpTrigger {
  method: string;
  path: string;
  /** The gateway authenticates callers before the function runs (an authorizer, IAM, an API key). */
  authenticatedBy?: string;
}

export interface DeployedFunction {
  /** Absolute path of the handler module, without extension. */
  module: string;
  exportName: string;
  triggers: HttpTrigger[];
  /** The descriptor, relative to the root, and the line that names the handler: evidence. */
  descriptor: string;
  line: number;
}

/**
 * Deployed functions declared by descriptors in the folders holding `files` and above them, up to `root`. A
 * folder discovery listed is asked only for the descriptors it saw there.
 */
export function deployedFunctions(root: string, files: readonly string[], layout?: ProjectLayout): DeployedFunction[] {
  const mayExist = (file: string) => !layout?.descriptors || !layout.folders.has(path.dirname(file)) || layout.descriptors.has(file);
  const descriptorFolders = new Set([...(layout?.descriptors ?? [])].map((file) => path.dirname(file)));
  const holdsNone = (dir: string) => layout?.descriptors !== undefined && layout.folders.has(dir) && !descriptorFolders.has(dir);
  const folders = new Set<string>();
  for (const file of files) {
    for (let dir = path.dirname(file); dir.startsWith(root); dir = path.dirname(dir)) {
      if (folders.has(dir)) break;
      folders.add(dir);
      if (dir === root) break;
    }
  }
  const found: DeployedFunction[] = [];
  for (const dir of folders) {
    if (holdsNone(dir)) continue;
    for (const name of DESCRIPTOR_NAMES) {
      const file = path.join(dir, name);
      const text = mayExist(file) ? readText(file) : undefined;
      const data = text === undefined ? undefined : parseYaml(text);
      if (!data || text === undefined) continue;
      const descriptor = path.relative(root, file).split(path.sep).join('/');
      const functions = name.startsWith('serverless') ? serverlessFunctions(data, dir, descriptor) : samFunctions(data, dir, descriptor);
      for (const fn of functions) fn.line = lineOf(text, `${path.relative(dir, fn.module).split(path.sep).pop()}.${fn.exportName}`);
      found.push(...functions);
    }
  }
  return found;
}

function readText(file: string): string | undefined {
  try {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    return stats?.isFile() && stats.size <= MAX_FILE_BYTES ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The YAML parser is loaded the first time a descriptor is found: most projects have none. */
let yaml: typeof import('yaml') | undefined;

function parseYaml(text: string): Record<string, unknown> | undefined {
  try {
    yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
    const value = yaml.parseDocument(text).toJS() as unknown;
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** 1-based line of the first occurrence of `needle`, or 1. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? 1 : text.slice(0, at).split('\n').length;
}

/** `functions.<name>.handler: src/chat.handler` with `http` / `httpApi` events or `url: true`. */
function serverlessFunctions(data: Record<string, unknown>, dir: string, descriptor: string): DeployedFunction[] {
  const functions = record(data.functions);
  const found: DeployedFunction[] = [];
  for (const definition of Object.values(functions)) {
    const fn = record(definition);
    const handler = typeof fn.handler === 'string' ? fn.handler : undefined;
    const split = handler && /^(.+)\.([\w$]+)$/.exec(handler);
    if (!split) continue;
    const triggers: HttpTrigger[] = [];
    for (const event of Array.isArray(fn.events) ? fn.events : []) {
      for (const kind of ['http', 'httpApi'] as const) {
        const trigger = record(event)[kind];
        if (trigger === undefined) continue;
        if (typeof trigger === 'string') {
          const [method, routePath] = trigger.trim().split(/\s+/);
          triggers.push({ method: normalizeMethod(method), path: gatewayPath(routePath ?? '/') });
          continue;
        }
        const t = record(trigger);
        triggers.push({
          method: normalizeMethod(String(t.method ?? '*')),
          path: gatewayPath(String(t.path ?? '/')),
          authenticatedBy: serverlessAuthorizer(t, kind),
        });
      }
    }
    if (fn.url) triggers.push({ method: 'ALL', path: '/*', authenticatedBy: record(fn.url).authorizer === 'aws_iam' ? 'a Lambda function URL with IAM auth' : undefined });
    if (triggers.length) found.push({ module: path.join(dir, split[1]), exportName: split[2], triggers, descriptor, line: 1 });
  }
  return found;
}

function serverlessAuthorizer(event: Record<string, unknown>, kind: 'http' | 'httpApi'): string | undefined {
  if (event.private === true) return `an API Gateway API key (${kind} private: true)`;
  const authorizer = event.authorizer;
  if (authorizer === undefined || authorizer === null) return undefined;
  if (typeof authorizer === 'string') return authorizer.toLowerCase() === 'none' ? undefined : `the API Gateway authorizer ${authorizer}`;
  const a = record(authorizer);
  return `the API Gateway authorizer ${String(a.name ?? a.type ?? a.arn ?? '')}`.trim();
}

/** `AWS::Serverless::Function` resources with `Api` / `HttpApi` events or a function URL. */
function samFunctions(data: Record<string, unknown>, dir: string, descriptor: string): DeployedFunction[] {
  const globals = record(record(data.Globals).Function);
  const globalApiAuth = record(record(record(data.Globals).Api).Auth).DefaultAuthorizer ?? record(record(record(data.Globals).HttpApi).Auth).DefaultAuthorizer;
  const resources = record(data.Resources);
  const found: DeployedFunction[] = [];
  for (const resource of Object.values(resources)) {
    const r = record(resource);
    if (r.Type !== 'AWS::Serverless::Function') continue;
    const properties = record(r.Properties);
    const handler = String(properties.Handler ?? globals.Handler ?? '');
    const split = /^(.+)\.([\w$]+)$/.exec(handler);
    if (!split) continue;
    const codeUri = typeof properties.CodeUri === 'string' ? properties.CodeUri : typeof globals.CodeUri === 'string' ? globals.CodeUri : '.';
    const triggers: HttpTrigger[] = [];
    for (const event of Object.values(record(properties.Events))) {
      const e = record(event);
      if (e.Type !== 'Api' && e.Type !== 'HttpApi') continue;
      const p = record(e.Properties);
      const api = resources[String(p.RestApiId ?? p.ApiId ?? '')];
      const apiAuth = record(record(record(api).Properties).Auth).DefaultAuthorizer;
      const eventAuth = record(p.Auth).Authorizer;
      const authorizer = eventAuth ?? apiAuth ?? globalApiAuth;
      triggers.push({
        method: normalizeMethod(String(p.Method ?? 'any')),
        path: gatewayPath(String(p.Path ?? '/')),
        authenticatedBy: authorizer && String(authorizer).toUpperCase() !== 'NONE' ? `the API Gateway authorizer ${String(authorizer)}` : undefined,
      });
    }
    const url = record(properties.FunctionUrlConfig);
    if (Object.keys(url).length) triggers.push({ method: 'ALL', path: '/*', authenticatedBy: url.AuthType === 'AWS_IAM' ? 'a Lambda function URL with IAM auth' : undefined });
    if (triggers.length) found.push({ module: path.join(dir, codeUri, split[1]), exportName: split[2], triggers, descriptor, line: 1 });
  }
  return found;
}

function normalizeMethod(method: string | undefined): string {
  const m = (method ?? '*').toUpperCase();
  return m === '*' || m === 'ANY' ? 'ALL' : m;
}

/** `/chat/{id}` → `/chat/:id`, `/{proxy+}` → `/:proxy*`. */
function gatewayPath(routePath: string): string {
  return routePath.replace(/\{(\w+)\+\}/g, ':$1*').replace(/\{(\w+)\}/g, ':$1') || '/';
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
