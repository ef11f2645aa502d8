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

/** The bench's hostile cases (node bench/run.mjs --hostile), with the targets of issue 16 where it set one. */
export const HOSTILE_CASES = [
  { name: 'tsconfig-suffixes', what: 'tsconfig: `paths` with 2,000 targets × 200 `moduleSuffixes`, 20 imports', make: pathsProject, sizes: { targets: 2000, suffixes: 200, imports: 20 }, seconds: 5, megabytes: 500 },
  { name: 'paths-targets', what: 'tsconfig: one `paths` pattern with 30,000 targets, 20 imports', make: pathsProject, sizes: { targets: 30000, imports: 20 }, seconds: 5 },
  { name: 'paths-patterns', what: 'tsconfig: 30,000 `paths` patterns, 20 imports', make: pathsProject, sizes: { patterns: 30000, imports: 20 }, seconds: 5 },
  { name: 'routes-2x50k', what: '2 files of 50,000 Express routes each', make: manyRoutesProject, sizes: { files: 2, routes: 50000 } },
  { name: 'routes-100k', what: '100 files of 1,000 Express routes each: 100,000 routes in one report', make: manyRoutesProject, sizes: { files: 100, routes: 1000 } },
  { name: 'paid-calls-3k', what: 'one handler with 3,000 paid calls', make: manyPaidCallsProject, sizes: { calls: 3000 } },
  { name: 'route-files-20k', what: '20,000 Next.js route files, each an unprotected paid route', make: manyRouteFilesProject, sizes: { files: 20000 }, seconds: 10, megabytes: 1000 },
];
