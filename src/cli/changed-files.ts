/**
 * `--changed-since <ref>`: the whole project is analysed (a route and its helpers live in different files), and
 * only findings on endpoints whose chain touches a file changed since the ref are reported.
 *
 * Changed files come from the `git` binary: everything that differs between the merge base of the ref and HEAD
 * and the working tree (committed, staged and unstaged changes), plus untracked files.
 *
 * The scanned repository's own `.git/config` is untrusted: it can name commands git would run (an fsmonitor hook,
 * an external diff, textconv or clean filters, a pager). Every call turns those off; see `safeGitArgs`. The user's
 * global config is kept: it is the machine owner's, and holds settings such as `safe.directory` that CI needs.
 */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Endpoint, Evidence, Finding, SourceLocation } from '../model.js';

export class ChangedFilesError extends Error {}

/** Changed files as paths relative to `root` (POSIX separators); files outside the root are left out. */
export function changedFiles(root: string, ref: string): Set<string> {
  if (ref.startsWith('-')) throw new ChangedFilesError(`not a git ref: ${ref}`);
  const toplevel = gitOutput(root, ['rev-parse', '--show-toplevel'], `${root} is not inside a git repository`).trim();
  const commit = `${ref}^{commit}`;
  if (!commitExists(root, ref)) {
    throw new ChangedFilesError(
      `git ref not found: ${ref} (in a shallow CI checkout, fetch it first, e.g. actions/checkout with fetch-depth: 0)`,
    );
  }
  // Without a common history (a shallow clone) fall back to comparing with the ref itself.
  let base = ref;
  try {
    base = git(root, ['merge-base', commit, 'HEAD']).trim() || ref;
  } catch {
    base = ref;
  }
  const changed = [
    ...nulSeparated(gitOutput(root, ['diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', base, '--'], 'git diff failed')),
    ...nulSeparated(gitOutput(root, ['ls-files', '--others', '--exclude-standard', '-z', '--full-name'], 'git ls-files failed')),
  ];
  const realRoot = realpath(root);
  const files = new Set<string>();
  for (const file of changed) {
    const relative = path.relative(realRoot, path.join(realpath(toplevel), file));
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    files.add(relative.split(path.sep).join('/'));
  }
  return files;
}

/** Whether `ref` names a commit that is present in the repository holding `root` (false outside a repository). */
export function commitExists(root: string, ref: string): boolean {
  if (ref.startsWith('-')) return false;
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** Files under `root` that git tracks or would track (untracked, not ignored), relative to it with POSIX separators. */
export function projectFiles(root: string): string[] {
  return nulSeparated(gitOutput(root, ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], 'git ls-files failed'));
}

/**
 * Findings on endpoints whose chain touches a changed file, or that `alsoTouched` names (their route file imports
 * a changed file); findings without an endpoint by their own locations.
 */
export function findingsTouching(
  findings: readonly Finding[],
  endpoints: readonly Endpoint[],
  changed: ReadonlySet<string>,
  alsoTouched: ReadonlySet<string> = new Set(),
): Finding[] {
  const touched = new Set(endpoints.filter((e) => alsoTouched.has(e.id) || endpointFiles(e).some((f) => changed.has(f))).map((e) => e.id));
  return findings.filter((finding) => {
    if (finding.endpointId !== undefined && touched.has(finding.endpointId)) return true;
    return findingFiles(finding).some((f) => changed.has(f));
  });
}

/**
 * The files an endpoint's analysis rests on: the route, its layers and handler, its AI calls, and every piece of
 * evidence found before any of its paid calls (not only the least protected call's: removing the check in front
 * of the better protected call changes the verdict too).
 */
export function endpointFiles(endpoint: Endpoint): string[] {
  const files = new Set<string>([endpoint.location.file, ...(endpoint.layerFiles ?? []).map((layer) => layer.file)]);
  for (const call of endpoint.aiCalls) files.add(call.location.file);
  for (const facts of endpoint.callFacts.flatMap((call) => Object.values(call) as unknown[])) {
    if (!Array.isArray(facts)) continue;
    for (const fact of facts as Partial<Evidence & { keyLocation: SourceLocation }>[]) {
      if (fact.location?.file) files.add(fact.location.file);
      if (fact.keyLocation?.file) files.add(fact.keyLocation.file);
    }
  }
  if (endpoint.declaredPublic?.location) files.add(endpoint.declaredPublic.location.file);
  return [...files];
}

function findingFiles(finding: Finding): string[] {
  return [finding.location.file, ...finding.related.map((r) => r.location.file)];
}

/** Settings that make git run a command, turned off whatever the repository's config says. */
const NO_COMMANDS = ['core.fsmonitor=false', 'core.hooksPath=/dev/null', 'diff.external=', 'core.pager=cat', 'core.sshCommand=', 'core.askPass='];

/** The environment git runs in: no pager, no system config, no prompts. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_PAGER: 'cat', PAGER: 'cat', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', GIT_EXTERNAL_DIFF: '' };
}

function run(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: gitEnv(), maxBuffer: 64 * 1024 * 1024 });
}

/**
 * `-c` overrides for every command the repository's config could make git run, filters included: a content
 * filter (`filter.<name>.clean` or `.process`) runs when a changed file is compared, so each configured filter is
 * emptied by name. Reading the config runs nothing.
 */
export function safeGitArgs(cwd: string): string[] {
  let filters: string[] = [];
  try {
    const listed = run(cwd, ['--no-pager', 'config', '--null', '--name-only', '--get-regexp', '^filter\\.']);
    filters = [...new Set(nulSeparated(listed).map((key) => key.replace(/\.[^.]*$/, '')))];
  } catch {
    // No filter configured (git exits 1), or not a repository: the call that follows reports it.
  }
  const settings = [...NO_COMMANDS, ...filters.flatMap((filter) => [`${filter}.clean=`, `${filter}.smudge=`, `${filter}.process=`])];
  return ['--no-pager', ...settings.flatMap((setting) => ['-c', setting])];
}

function git(cwd: string, args: string[]): string {
  return run(cwd, [...safeGitArgs(cwd), ...args]);
}

function gitOutput(cwd: string, args: string[], failure: string): string {
  try {
    return git(cwd, args);
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new ChangedFilesError('--changed-since needs the git command, and git was not found on PATH');
    const detail = err.stderr?.toString().trim().split('\n')[0];
    throw new ChangedFilesError(`${failure}${detail ? `: ${detail}` : ''}`);
  }
}

function nulSeparated(output: string): string[] {
  return output.split('\0').filter(Boolean);
}

function realpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
