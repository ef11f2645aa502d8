/**
 * The resolver remembers what it resolved, per node and call context. An answer must not depend on what was
 * asked before: near the depth limit, a remembered result is reused only where a fresh one would be the same.
 */
import { afterAll, describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { CallContext, Resolver, type AccessPath } from '../../src/semantic/resolve.js';
import { createParsedProject } from '../../src/parse/program.js';
import { buildIndex } from '../../src/pipeline/build-index.js';
import { discover } from '../../src/discover/discover.js';
import { makeProject, removeProjects } from '../robustness/project.js';

afterAll(removeProjects);

/** `const v0 = new OpenAI(); const v1 = v0; ...`: resolving `vN` takes about N steps. */
const CHAIN = 60;
const chainFile = ["import OpenAI from 'openai';", 'const v0 = new OpenAI();', ...Array.from({ length: CHAIN }, (_, i) => `const v${i + 1} = v${i};`)].join('\n');
const helperFile = [
  "import OpenAI from 'openai';",
  'const client = new OpenAI();',
  'function pick(c: OpenAI) { return c; }',
  'export function first() { return pick(client); }',
  'export function second(other: unknown) { return pick(other as OpenAI); }',
].join('\n');

async function resolverFor(files: Record<string, string>) {
  const root = makeProject(files, false);
  const project = createParsedProject(buildIndex(root, (await discover(root)).files), []);
  return { root, project, resolver: new Resolver(project, new Set(['openai'])) };
}

function describePath(path: AccessPath | undefined): string {
  if (!path) return 'unresolved';
  const root = path.root.kind === 'module' ? path.root.module : path.root.kind === 'param' ? `param ${path.root.param.name.getText()}` : path.root.kind;
  return [root, ...path.segments.map((s) => (s.kind === 'member' ? s.name : s.kind))].join('.');
}

function identifier(file: ts.SourceFile, name: string): ts.Identifier {
  const statement = file.statements.find((s) => ts.isVariableStatement(s) && s.declarationList.declarations[0]!.name.getText() === name) as ts.VariableStatement;
  return statement.declarationList.declarations[0]!.name as ts.Identifier;
}

describe('remembered resolutions', () => {
  it('give the same answers in any order, on both sides of the depth limit', async () => {
    const names = Array.from({ length: CHAIN + 1 }, (_, i) => `v${i}`);
    const answers = async (order: string[]) => {
      const { root, project, resolver } = await resolverFor({ 'chain.ts': chainFile });
      const file = project.sourceFile(`${root}/chain.ts`)!;
      const result = new Map(order.map((name) => [name, describePath(resolver.resolve(identifier(file, name)))]));
      return names.map((name) => `${name}: ${result.get(name)}`);
    };
    const upwards = await answers(names);
    expect(await answers([...names].reverse())).toEqual(upwards);
    expect(upwards[5]).toBe('v5: openai.new');
    // Past the depth limit the chain is not followed, whether or not its start was resolved before.
    expect(upwards[CHAIN]).toBe(`v${CHAIN}: unresolved`);
  });

  it('keep call contexts apart: a helper returns what each call passed it', async () => {
    const { root, project, resolver } = await resolverFor({ 'helpers.ts': helperFile });
    const file = project.sourceFile(`${root}/helpers.ts`)!;
    const returned = (name: string) => {
      const fn = file.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name)!;
      const expression = (fn.body!.statements[0] as ts.ReturnStatement).expression!;
      return describePath(resolver.resolve(expression, CallContext.ROOT.enter(fn, undefined)));
    };
    expect([returned('first'), returned('second'), returned('first')]).toEqual(['openai.new', 'param other', 'openai.new']);
    expect(CallContext.ROOT.enter(file.statements[2] as ts.FunctionDeclaration, undefined)).toBe(CallContext.ROOT.enter(file.statements[2] as ts.FunctionDeclaration, undefined));
  });
});
