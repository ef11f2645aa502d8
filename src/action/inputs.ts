/**
 * The action's inputs, read from the environment as the Actions runner passes them (`INPUT_<NAME>`, upper-cased,
 * spaces as underscores, hyphens kept) and checked before anything is scanned.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { suggestion } from '../config/did-you-mean.js';
import { FAIL_ON_VALUES, type FailOn } from '../config/settings.js';
import { type Format, FORMATS } from '../cli/main.js';

/** An input the action cannot use: its message names the input, and the step exits 2. */
export class InputError extends Error {}

export interface ActionInputs {
  paths: string[];
  /** Absolute; the scan runs there and the other paths are relative to it. */
  workingDirectory: string;
  format: Format;
  /** Undefined when the input is empty: the scanned repository's config decides. */
  failOn?: FailOn;
  sarifFile?: string;
  summary: boolean;
  config?: string;
  baseline?: string;
  changedSince?: string;
  /** The ref came from the pull request, not from the input: a base that was not fetched narrows nothing. */
  changedSinceFromPullRequest: boolean;
  strict: boolean;
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const input = (name: string) => readInput(name, env);
  const given = input('changed-since');
  const changedSince = given || pullRequestBase(env);
  return {
    paths: input('paths').split(/\s+/).filter(Boolean),
    workingDirectory: workingDirectory(input('working-directory'), env),
    format: choice('format', input('format') || 'github', FORMATS),
    failOn: input('fail-on') ? choice('fail-on', input('fail-on'), FAIL_ON_VALUES) : undefined,
    sarifFile: input('sarif-file') || undefined,
    summary: booleanInput('summary', input('summary'), true),
    config: input('config') || undefined,
    baseline: input('baseline') || undefined,
    changedSince,
    changedSinceFromPullRequest: !given && changedSince !== undefined,
    strict: booleanInput('strict', input('strict'), false),
  };
}

export function readInput(name: string, env: NodeJS.ProcessEnv): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function choice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`input ${name}: "${value}" is not one of ${allowed.join(', ')}${suggestion(value, allowed)}`);
}

/** The YAML 1.2 core booleans, as the toolkit's getBooleanInput reads them. */
function booleanInput(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(`input ${name}: "${value}" is not true or false`);
}

function workingDirectory(value: string, env: NodeJS.ProcessEnv): string {
  const dir = path.resolve(env.GITHUB_WORKSPACE || process.cwd(), value || '.');
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new InputError(`input working-directory: ${value} is not a folder in the workspace`);
  return dir;
}

/** The pull request's base commit from the event payload, else its base branch as fetched from origin. */
export function pullRequestBase(env: NodeJS.ProcessEnv): string | undefined {
  const sha = env.GITHUB_EVENT_PATH ? eventBaseSha(env.GITHUB_EVENT_PATH) : undefined;
  if (sha) return sha;
  return env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : undefined;
}

function eventBaseSha(file: string): string | undefined {
  try {
    const event = JSON.parse(readFileSync(file, 'utf8')) as { pull_request?: { base?: { sha?: unknown } } };
    const sha = event.pull_request?.base?.sha;
    return typeof sha === 'string' && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}
