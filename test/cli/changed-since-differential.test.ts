/**
 * A differential test of --changed-since: a protected fixture is copied into a git repository, one seeded random
 * edit removes a protection (an auth middleware that only calls `next()`, a limiter taken out of a route or deleted,
 * a guard whose condition is `false`) and is committed. Every finding the full scan reports on the endpoints the
 * edit changed (those whose findings differ from the scan before it) must be reported by `--changed-since HEAD~1`:
 * a pull request that removes a protection cannot pass the gate.
 *
 * The scan and the --changed-since selection run in this process, through the functions the CLI calls; git is the
 * only process spawned.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { RULES } from '../../rules/index.js';
import { scan } from '../../src/index.js';
import { changedFindings } from '../../src/cli/changed-endpoints.js';
import { changedFiles } from '../../src/cli/changed-files.js';
import type { Finding } from '../../src/model.js';
import { FIXTURES, tempDir } from './helpers.js';
import { random } from '../robustness/random.js';

const SEED = 20261207;
/** Fixtures tried, drawn with the seed from those with a `fixed` project, and edits tried per fixture. */
const FIXTURE_COUNT = 12;
const EDITS_PER_FIXTURE = 3;

interface Edit {
  file: string;
  kind: string;
  /** The file's text after the edit. */
  text: string;
}

interface ReportedFinding {
  ruleId: string;
  file: string;
  endpointId: string | null;
}

const scratch = tempDir('aea-changed-diff-');
afterAll(() => scratch.remove());

function pick<T>(items: readonly T[], count: number, next: () => number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
  return picked;
}

function git(repo: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
    cwd: repo,
    stdio: 'ignore',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com' },
  });
}

function sourceFiles(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const relative = dir ? `${dir}/${name}` : name;
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path.join(root, relative)).isDirectory()) return sourceFiles(root, relative);
    return /\.[cm]?[jt]sx?$/.test(name) && !/\.(test|spec)\./.test(name) ? [relative] : [];
  });
}

/** Every edit that removes a protection in one file, each applied alone to the original text. */
function editsOf(file: string, text: string): Edit[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edits: Edit[] = [];
  const replace = (node: ts.Node, replacement: string, kind: string) =>
    edits.push({ file, kind, text: text.slice(0, node.getStart(source)) + replacement + text.slice(node.getEnd()) });
  const visit = (node: ts.Node): void => {
    // An auth or limiter middleware rewritten to let every request through.
    if (ts.isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body)) {
      const last = node.parameters[node.parameters.length - 1];
      if (last && ts.isIdentifier(last.name) && last.name.text === 'next') replace(node.body, '{ return next(); }', 'middleware passes through');
    }
    // A limiter taken out of a route's middleware list.
    if (ts.isCallExpression(node) && node.arguments.length > 1) {
      node.arguments.forEach((argument, i) => {
        if (!ts.isIdentifier(argument) || !/limit/i.test(argument.text)) return;
        const rest = node.arguments.filter((_, j) => j !== i).map((a) => a.getText(source));
        edits.push({ file, kind: 'limiter removed from a route', text: text.slice(0, node.arguments.pos) + rest.join(', ') + text.slice(node.arguments.end) });
      });
    }
    // A statement that applies or checks a limit deleted.
    if (ts.isExpressionStatement(node) && /limit/i.test(node.getText(source)) && !/\bimport\b/.test(node.getText(source))) replace(node, '', 'limiter line deleted');
    // A guard in a handler or a helper that no longer refuses.
    if (ts.isIfStatement(node) && /\b(throw|40[1-3]|429|redirect|unauthori[sz]ed|forbidden)\b/i.test(node.thenStatement.getText(source))) {
      replace(node.expression, 'false', 'guard disabled');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edits;
}

/**
 * Rules over the whole project (no usage recorded anywhere, a key in client code) name an endpoint only as an
 * anchor: an edit elsewhere can change them without the anchor's files being involved. They are left out.
 */
const PROJECT_RULES = new Set(RULES.filter((rule) => rule.checkProject).map((rule) => rule.meta.id));

function keyOf(f: ReportedFinding): string {
  return `${f.ruleId} ${f.endpointId ?? f.file}`;
}

function reported(list: readonly Finding[]): ReportedFinding[] {
  return list.map((f) => ({ ruleId: f.ruleId, file: f.location.file, endpointId: f.endpointId ?? null }));
}

/** The full scan's findings, and those `--changed-since <ref>` reports from the same scan. */
async function findings(root: string, since?: string): Promise<{ all: ReportedFinding[]; changed: ReportedFinding[] }> {
  const result = await scan({ paths: [root] });
  const changed = since ? changedFindings(result.findings, result, undefined, changedFiles(root, since)) : [];
  return { all: reported(result.findings), changed: reported(changed) };
}

/** Findings after the edit on every endpoint (or project-level place) whose findings the edit changed. */
function onChangedEndpoints(allBefore: ReportedFinding[], allAfter: ReportedFinding[]): ReportedFinding[] {
  const [before, after] = [allBefore, allAfter].map((list) => list.filter((f) => !PROJECT_RULES.has(f.ruleId))) as [ReportedFinding[], ReportedFinding[]];
  const place = (f: ReportedFinding) => f.endpointId ?? f.file;
  const keys = (list: ReportedFinding[]) => new Set(list.map(keyOf));
  const beforeKeys = keys(before);
  const afterKeys = keys(after);
  const changed = new Set([...after.filter((f) => !beforeKeys.has(keyOf(f))), ...before.filter((f) => !afterKeys.has(keyOf(f)))].map(place));
  return after.filter((f) => changed.has(place(f)));
}

const protectedFixtures = readdirSync(FIXTURES).filter((name) => {
  try {
    return statSync(path.join(FIXTURES, name, 'fixed')).isDirectory();
  } catch {
    return false;
  }
});

describe('--changed-since against the full scan, on seeded edits that remove a protection', () => {
  it('reports every finding of the full scan on the endpoints an edit changed', async () => {
    const next = random(SEED);
    const tried: string[] = [];
    const regressions: string[] = [];
    const missed: string[] = [];
    for (const fixture of pick(protectedFixtures, FIXTURE_COUNT, next)) {
      const repo = path.join(scratch.dir, fixture);
      cpSync(path.join(FIXTURES, fixture, 'fixed'), repo, { recursive: true });
      git(repo, 'init', '-q');
      git(repo, 'add', '-A');
      git(repo, 'commit', '-qm', 'base');
      git(repo, 'tag', 'base');
      const before = (await findings(repo)).all;
      const edits = sourceFiles(repo).flatMap((file) => editsOf(file, readFileSync(path.join(repo, file), 'utf8')));
      for (const edit of pick(edits, EDITS_PER_FIXTURE, next)) {
        git(repo, 'reset', '-q', '--hard', 'base');
        writeFileSync(path.join(repo, edit.file), edit.text);
        git(repo, 'commit', '-qam', edit.kind);
        const after = await findings(repo, 'HEAD~1');
        const expected = onChangedEndpoints(before, after.all);
        const selected = new Set(after.changed.map(keyOf));
        const label = `${fixture}: ${edit.kind} in ${edit.file}`;
        tried.push(label);
        if (expected.length > 0) regressions.push(label);
        for (const finding of expected) if (!selected.has(keyOf(finding))) missed.push(`${label}: ${keyOf(finding)}`);
      }
    }
    expect(missed).toEqual([]);
    // The edits must actually change findings, or the comparison proves nothing.
    expect(tried.length).toBeGreaterThanOrEqual(FIXTURE_COUNT);
    expect(regressions.length, tried.join('\n')).toBeGreaterThanOrEqual(8);
  });
});
