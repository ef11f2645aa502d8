/**
 * Every paid call site in application code, whatever reaches it: the scan compares them with the calls its
 * endpoints reach, and reports the rest as unlinked, so a user sees what the tool could not connect to a route
 * instead of a silent gap. Scripts, tests, mocks, seeds and configuration are not application code.
 */
import { importsOf } from '../parse/import-graph.js';
import type { ParsedProject } from '../parse/program.js';
import type { IndexedFile } from '../parse/source-index.js';
import type { AiCall } from '../model.js';
import type { Provider } from '../providers/index.js';
import { callsIn, locationOf } from '../semantic/ast.js';
import { matchAiCall } from './reach.js';
import { CallContext, type Resolver } from '../semantic/resolve.js';

const NOT_APPLICATION_CODE =
  /(^|\/)(scripts?|tests?|__tests__|__mocks__|mocks?|e2e|cypress|playwright|seeds?|migrations|evals?|benchmarks?)\/|\.(test|spec|stories|e2e|bench)\.[cm]?[jt]sx?$|(^|\/)[^/]*\.config\.[cm]?[jt]s$/;

/** JSX components: they render, and a paid call made in one shows up through the client it names. */
const COMPONENT = /\.[jt]sx$/;

/** Whether a file (a path relative to the root) is a script, test, mock or configuration rather than served code. */
export function isApplicationCode(relative: string): boolean {
  return !NOT_APPLICATION_CODE.test(relative);
}

/**
 * Paid calls are looked for in the files that name an AI SDK or host, and in the modules (not components)
 * that import one of those directly (`import { openai } from './lib/openai'`): a client module and its callers.
 */
export function paidCallSites(project: ParsedProject, resolver: Resolver, providers: readonly Provider[], within: (file: IndexedFile) => boolean = () => true): AiCall[] {
  const mentions = new Map<string, boolean>();
  const mentionsAi = (path: string): boolean => {
    let answer = mentions.get(path);
    if (answer === undefined) {
      const text = project.textOf(path);
      mentions.set(path, (answer = text !== undefined && (resolver.importGraph?.textPasses(text) ?? false)));
    }
    return answer;
  };
  const usesClient = (path: string, text: string) => mentionsAi(path) || (!COMPONENT.test(path) && importsOf(project, path, text).some(mentionsAi));
  const sites: AiCall[] = [];
  for (const file of project.filesWhere((f) => within(f) && isApplicationCode(f.relative) && usesClient(f.path, f.text))) {
    for (const call of callsIn(file)) {
      const match = matchAiCall(call, CallContext.ROOT, resolver, providers);
      if (match) sites.push({ location: locationOf(project, call), provider: match.provider, api: match.api, ...(match.model ? { model: match.model } : {}) });
    }
  }
  return sites;
}
