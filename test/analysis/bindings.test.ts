/**
 * Name binding without a type checker: the declaration an identifier or a member name refers to, across
 * scopes, imports, re-exports, CommonJS and classes; and which files a lookup had to parse.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ts from '../../src/typescript.cjs';
import { Bindings } from '../../src/semantic/bindings.js';
import { createParsedProject } from '../../src/parse/program.js';
import { buildIndex } from '../../src/pipeline/build-index.js';
import { discover } from '../../src/discover/discover.js';
import { scan } from '../../src/pipeline/scan.js';
import { makeProject, removeProjects } from '../robustness/project.js';

afterAll(removeProjects);

const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
  'lib/ai.ts': `import OpenAI from 'openai';\nexport const client = new OpenAI();\nexport async function ask(prompt: string) {\n  return client.responses.create({ model: 'gpt-4o', input: prompt });\n}\nexport default ask;\n`,
  'lib/index.ts': `export * from './unused';\nexport * from './ai';\nexport { default as askDefault } from './ai';\nexport * as ai from './ai';\n`,
  'lib/unused.ts': 'export const unused = 1;\n',
  'lib/base.ts': `import OpenAI from 'openai';\nexport class Base {\n  protected openai = new OpenAI();\n}\n`,
  'lib/chat.ts': `import { Base } from './base';\nexport class Chat extends Base {\n  constructor(private readonly helper: Helper) { super(); }\n  run() {\n    this.helper.format('x');\n    return this.openai.chat.completions.create({ model: 'gpt-4o', messages: [] });\n  }\n}\nexport class Helper {\n  format(s: string) { return s; }\n}\n`,
  'lib/legacy.js': `const summarize = require('./summarize');\nconst { ask } = require('./cjs-ai');\nmodule.exports = { summarize, ask };\n`,
  'lib/summarize.js': `module.exports = async function summarize(text) { return text; };\n`,
  'lib/cjs-ai.js': `exports.ask = async (prompt) => prompt;\n`,
  'app/use.ts': [
    "import { ask, askDefault, ai } from '@/lib';",
    "import * as direct from '@/lib/ai';",
    "import legacy from '@/lib/legacy.js';",
    'const prompt = 1;',
    'function outer() {',
    '  const prompt = 2;',
    '  return prompt;',
    '}',
    'ask(String(prompt));',
    'askDefault(String(outer()));',
    'ai.ask("x");',
    'direct.client.responses;',
    'legacy.summarize("x");',
    '',
  ].join('\n'),
};

async function load() {
  const root = makeProject(FILES, false);
  const discovery = await discover(root);
  const project = createParsedProject(buildIndex(root, discovery.files), []);
  return { root, project, bindings: new Bindings(project) };
}

/** The first identifier (or member name) with this text that starts at or after where `at` is found. */
function nameIn(file: ts.SourceFile, text: string, at = ''): ts.Node {
  const start = file.text.indexOf(at);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && node.text === text && node.getStart() >= start) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(file);
  if (!found) throw new Error(`no ${text} at ${at}`);
  return found;
}

function describeDeclaration(root: string, declaration: ts.Node | undefined): string {
  if (!declaration) return 'none';
  const file = path.relative(root, declaration.getSourceFile().fileName);
  const { line } = declaration.getSourceFile().getLineAndCharacterOfPosition(declaration.getStart());
  return `${ts.SyntaxKind[declaration.kind]} ${file}:${line + 1}`;
}

describe('Bindings', () => {
  it('follows imports through a barrel, a renamed default and a namespace re-export to the declaration', async () => {
    const { root, project, bindings } = await load();
    const use = project.sourceFile(path.join(root, 'app/use.ts'))!;
    const at = (text: string, marker: string) => describeDeclaration(root, bindings.declarationOf(nameIn(use, text, marker)));
    expect(at('ask', 'ask(String')).toBe('FunctionDeclaration lib/ai.ts:3');
    expect(at('askDefault', 'askDefault(')).toBe('ExportAssignment lib/ai.ts:6');
    expect(at('ask', 'ask("x")')).toBe('FunctionDeclaration lib/ai.ts:3');
    expect(at('client', 'client.responses;')).toBe('VariableDeclaration lib/ai.ts:2');
    // `export * from './unused'` was skipped: its text cannot export `ask`.
    expect(project.parsedFilePaths().map((f) => path.relative(root, f))).not.toContain('lib/unused.ts');
  });

  it('binds a name to the nearest scope that declares it', async () => {
    const { root, project, bindings } = await load();
    const use = project.sourceFile(path.join(root, 'app/use.ts'))!;
    expect(describeDeclaration(root, bindings.declarationOf(nameIn(use, 'prompt', 'prompt;\n}')))).toBe('VariableDeclaration app/use.ts:6');
    expect(describeDeclaration(root, bindings.declarationOf(nameIn(use, 'prompt', 'prompt));')))).toBe('VariableDeclaration app/use.ts:4');
  });

  it('follows CommonJS require and module.exports', async () => {
    const { root, project, bindings } = await load();
    const use = project.sourceFile(path.join(root, 'app/use.ts'))!;
    expect(describeDeclaration(root, bindings.declarationOf(nameIn(use, 'summarize', 'summarize("x")')))).toBe('ShorthandPropertyAssignment lib/legacy.js:3');
    const legacy = project.sourceFile(path.join(root, 'lib/legacy.js'))!;
    expect(describeDeclaration(root, bindings.declarationOf(nameIn(legacy, 'summarize', 'summarize, ask }')))).toBe('BinaryExpression lib/summarize.js:1');
    expect(describeDeclaration(root, bindings.declarationOf(nameIn(legacy, 'ask', 'ask };')))).toBe('BinaryExpression lib/cjs-ai.js:1');
  });

  it('finds members of this, of an inherited field and of a constructor parameter typed with a project class', async () => {
    const { root, project, bindings } = await load();
    const chat = project.sourceFile(path.join(root, 'lib/chat.ts'))!;
    expect(describeDeclaration(root, bindings.declarationOf(nameIn(chat, 'openai', 'openai.chat')))).toBe('PropertyDeclaration lib/base.ts:3');
    expect(describeDeclaration(root, bindings.declarationOf(nameIn(chat, 'helper', 'helper.format')))).toBe('Parameter lib/chat.ts:3');
    expect(describeDeclaration(root, bindings.declarationOf(nameIn(chat, 'format', "format('x')")))).toBe('MethodDeclaration lib/chat.ts:10');
  });
});

describe('a tsconfig alias to a folder right under the root', () => {
  it('resolves `@/lib` to lib/index.ts, so the paid call behind it is found', async () => {
    const root = makeProject({
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
      'lib/index.ts': "export { ask } from './ai';\n",
      'lib/ai.ts': `import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport const ask = (prompt: string) => openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: prompt }] });\n`,
      'app/api/ask/route.ts': `import { ask } from '@/lib';\n\nexport async function POST(req: Request) {\n  const { prompt } = await req.json();\n  return Response.json(await ask(prompt));\n}\n`,
    });
    const result = await scan({ paths: [root] });
    const endpoint = result.endpoints.find((e) => e.path === '/api/ask');
    expect(endpoint?.aiCalls.map((c) => `${c.location.file}:${c.location.line}`)).toEqual(['lib/ai.ts:3']);
  });
});
