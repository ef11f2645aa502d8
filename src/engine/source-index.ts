/**
 * Stage 2, index: read every discovered file once and note, with cheap regular expressions,
 * whether it can matter. Only files that can matter go to the deep (AST) stage.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ScanError } from '../model.js';

/** Files larger than this are not parsed: generated bundles, fixtures, data. */
export const MAX_FILE_BYTES = 1_000_000;

export interface IndexedFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the scanned root, POSIX separators. */
  relative: string;
  text: string;
  /** Mentions an AI SDK, an AI provider's host, or a model id. */
  mentionsAi: boolean;
  /** Registers or exports HTTP handlers: a web framework import, or a route file by convention. */
  mentionsRoutes: boolean;
}

export interface SourceIndex {
  root: string;
  files: Map<string, IndexedFile>;
  errors: ScanError[];
}

const AI_MARKERS =
  /['"](?:openai|@anthropic-ai\/sdk|ai|@ai-sdk\/[\w-]+|@google\/gen(?:erative-)?ai|@mistralai\/mistralai|cohere-ai|groq-sdk|together-ai|replicate|@langchain\/[\w-]+|llamaindex|@azure\/openai)['"]|api\.openai\.com|api\.anthropic\.com|generativelanguage\.googleapis\.com/;

const ROUTE_MARKERS =
  /['"](?:express|next\/server|next|next-connect|fastify|koa|@koa\/router|hono|@nestjs\/common)['"]|NextApiRequest|NextRequest|export\s+(?:async\s+)?(?:function|const)\s+(?:GET|POST|PUT|PATCH|DELETE)\b/;

export function isRouteFileByConvention(relative: string): boolean {
  return (
    /(^|\/)app\/(.+\/)?route\.(ts|tsx|js|jsx|mjs|cjs)$/.test(relative) ||
    /(^|\/)pages\/api\//.test(relative) ||
    /(^|\/)(middleware|proxy)\.(ts|js|mjs)$/.test(relative)
  );
}

export function buildIndex(root: string, files: string[]): SourceIndex {
  const index: SourceIndex = { root, files: new Map(), errors: [] };
  for (const file of files) {
    const relative = toPosix(path.relative(root, file));
    const text = readSource(file, relative, index.errors);
    if (text === undefined) continue;
    index.files.set(file, {
      path: file,
      relative,
      text,
      mentionsAi: AI_MARKERS.test(text),
      mentionsRoutes: ROUTE_MARKERS.test(text) || isRouteFileByConvention(relative),
    });
  }
  return index;
}

function readSource(file: string, relative: string, errors: ScanError[]): string | undefined {
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) {
      errors.push({ file: relative, kind: 'too-large', message: `skipped: ${size} bytes is over the ${MAX_FILE_BYTES}-byte limit` });
      return undefined;
    }
    const buffer = readFileSync(file);
    if (buffer.subarray(0, 8000).includes(0)) {
      errors.push({ file: relative, kind: 'binary', message: 'skipped: binary content' });
      return undefined;
    }
    return buffer.toString('utf8');
  } catch (error) {
    errors.push({ file: relative, kind: 'unreadable', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    return undefined;
  }
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
