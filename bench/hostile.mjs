/**
 * Hostile projects for the resource bounds: inputs a stranger's pull request can hold that once cost the
 * scanner minutes or gigabytes. The bench times them at full size (bench/run.mjs --hostile); the tests in
 * test/robustness/bounds.test.ts build small ones with the same functions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const AI_ROUTE_HEAD = `import OpenAI from 'openai';\nconst openai = new OpenAI();\n`;
const AI_HANDLER = `export async function POST(req: Request) {
  const { prompt } = await req.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
  return Response.json({ text: completion.choices[0].message.content });
}
`;

function write(root, files) {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/**
 * A tsconfig whose one `paths` pattern has `targets` targets and whose `moduleSuffixes` has `suffixes` entries,
 * and a route that makes `imports` imports through the pattern that resolve nowhere: each one made TypeScript's
 * resolver probe targets × suffixes × extensions paths. `patterns` adds more patterns of one target each.
 */
export function pathsProject(root, { targets = 1, patterns = 1, suffixes = 0, imports = 20 }) {
  const paths = { '@x/*': Array.from({ length: targets }, (_, i) => `t${i}/*`) };
  for (let i = 1; i < patterns; i++) paths[`@p${i}/*`] = [`p${i}/*`];
  const compilerOptions = {
    baseUrl: '.',
    paths,
    ...(suffixes > 0 ? { moduleSuffixes: Array.from({ length: suffixes }, (_, i) => `.s${i}`) } : {}),
  };
  const importLines = Array.from({ length: imports }, (_, i) => `import m${i} from '@x/m${i}';`).join('\n');
  const uses = Array.from({ length: imports }, (_, i) => `m${i}`).join(', ');
  write(root, {
    'package.json': '{ "name": "hostile-paths", "private": true }\n',
    'tsconfig.json': JSON.stringify({ compilerOptions }),
    'app/api/chat/route.ts': `${AI_ROUTE_HEAD}${importLines}\nexport const used = [${uses}];\n${AI_HANDLER}`,
  });
  return root;
}

/**
 * `files` Express files, each registering `routes` routes on one app, all with one handler that calls OpenAI:
 * about 19 bytes a route, so 50,000 fit under the 1 MB file limit.
 */
export function manyRoutesProject(root, { files, routes }) {
  const out = { 'package.json': '{ "name": "hostile-routes", "private": true, "dependencies": { "express": "4" } }\n' };
  for (let f = 0; f < files; f++) {
    const lines = [
      `import express from 'express';`,
      `import OpenAI from 'openai';`,
      `const openai = new OpenAI();`,
      `const app = express();`,
      `app.use(express.json());`,
      `const h = async (req, res) => res.json(await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: req.body.p }] }));`,
    ];
    for (let r = 0; r < routes; r++) lines.push(`app.put('/${r.toString(36)}',h)`);
    lines.push(`app.listen(${3000 + f});`);
    out[`server${f}.ts`] = `${lines.join('\n')}\n`;
  }
  write(root, out);
  return root;
}

/** `files` Next.js route files, each an unprotected route that calls OpenAI. */
export function manyRouteFilesProject(root, { files }) {
  const out = { 'package.json': '{ "name": "hostile-route-files", "private": true, "dependencies": { "next": "14" } }\n' };
  for (let f = 0; f < files; f++) out[`app/api/r${f}/route.ts`] = `${AI_ROUTE_HEAD}${AI_HANDLER}`;
  write(root, out);
  return root;
}

/** One Next.js route whose handler makes `calls` paid calls in a row. */
export function manyPaidCallsProject(root, { calls }) {
  const call = `  await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });\n`;
  write(root, {
    'package.json': '{ "name": "hostile-calls", "private": true, "dependencies": { "next": "14" } }\n',
    'app/api/chat/route.ts': `${AI_ROUTE_HEAD}export async function POST(req: Request) {\n  const { prompt } = await req.json();\n${call.repeat(calls)}  return Response.json({});\n}\n`,
  });
  return root;
}
