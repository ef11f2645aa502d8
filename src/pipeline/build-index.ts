/**
 * Stage 2, index: read every discovered file once and mark, with the plugins' cheap pre-filters, the files
 * that can matter. Only those go to the deep (AST) stage.
 */
import path from 'node:path';
import type { ProjectLayout } from '../discover/discover.js';
import { RootGuard } from '../discover/root-guard.js';
import { type IndexedFile, readSource, type SourceIndex } from '../parse/source-index.js';
import { toPosix } from '../discover/posix-path.js';
import { isRouteFileByConvention, mentionsAiText, mentionsRoutesText } from './triggers.js';

/** Whether a text names an AI SDK package or a model provider's host. */
export { mentionsAiText as mentionsAi } from './triggers.js';

export function buildIndex(root: string, files: string[], layout?: ProjectLayout): SourceIndex {
  const guard = new RootGuard(root);
  const index: SourceIndex = { root, files: new Map(), skipped: new Set(), errors: [], ...(layout ? { layout } : {}) };
  for (const file of files) {
    const relative = toPosix(path.relative(root, file));
    const decoded: { utf16?: boolean } = {};
    const text = readSource(file, relative, guard, index.errors, decoded);
    if (text === undefined) index.skipped.add(file);
    else index.files.set(file, indexedFile(file, relative, text, decoded.utf16));
  }
  return index;
}

export function indexedFile(file: string, relative: string, text: string, utf16 = false): IndexedFile {
  return {
    path: file,
    relative,
    text,
    mentionsAi: mentionsAiText(text),
    mentionsRoutes: mentionsRoutesText(text) || isRouteFileByConvention(relative),
    ...(utf16 ? { utf16: true as const } : {}),
  };
}
