/**
 * The scanner reads the scanned tree as data only: configuration files are never run, `extends` is followed as
 * JSON inside the root, and packages named by `extends` are not loaded.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import { makeProject, removeProjects, runCli } from './project.js';

afterAll(removeProjects);

/** Code that leaves a file behind if it ever runs. */
function payload(marker: string): string {
  return `const fs = require('fs');\nfs.writeFileSync(${JSON.stringify(marker)}, 'executed');\nmodule.exports = {};\n`;
}

describe('nothing in the scanned tree is executed', () => {
  it('config files, plugins and tsconfig extends are never run; extends inside the root is read as data', async () => {
    const markers = mkdtempSync(path.join(tmpdir(), 'aea-markers-'));
    const marker = (name: string) => path.join(markers, name);
    const root = makeProject({
      'next.config.js': payload(marker('next.config.js')),
      'vite.config.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker('vite.config.mjs'))}, 'executed');\nexport default {};\n`,
      'eslint.config.js': payload(marker('eslint.config.js')),
      'postcss.config.cjs': payload(marker('postcss.config.cjs')),
      'node_modules/evil-tsconfig/index.js': payload(marker('node_modules-index.js')),
      'node_modules/evil-tsconfig/package.json': JSON.stringify({ name: 'evil-tsconfig', main: 'index.js', tsconfig: 'index.js' }),
      'node_modules/evil-plugin/index.js': payload(marker('plugin.js')),
      'tsconfig.json': JSON.stringify({
        extends: ['evil-tsconfig', './config/tsconfig.base.json', '../../../../../../../../etc/passwd'],
        compilerOptions: { plugins: [{ name: 'evil-plugin' }] },
      }),
      // Aliases defined only in the extended base: the paid call is found through them.
      'config/tsconfig.base.json': JSON.stringify({ compilerOptions: { baseUrl: '..', paths: { '~ai/*': ['services/ai/*'] } } }),
      'services/ai/complete.ts': `import OpenAI from 'openai';\nconst client = new OpenAI();\nexport function complete(prompt: string) {\n  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: prompt }] });\n}\n`,
      'app/api/complete/route.ts': `import { complete } from '~ai/complete';\n\nexport async function POST(req: Request) {\n  const { prompt } = await req.json();\n  return Response.json(await complete(prompt));\n}\n`,
      'package.json': JSON.stringify({ name: 'app', scripts: { preinstall: `node -e "require('fs').writeFileSync('${marker('script')}','x')"` }, main: 'next.config.js' }),
    });
    const result = await scan({ paths: [root] });
    const run = await runCli([root, '--format', 'sarif']);
    expect(run.code).toBe(1);
    expect(result.findings.some((f) => f.ruleId === 'no-auth' && f.location.file === 'app/api/complete/route.ts' && f.location.line === 3)).toBe(true);
    for (const name of ['next.config.js', 'vite.config.mjs', 'eslint.config.js', 'postcss.config.cjs', 'node_modules-index.js', 'plugin.js', 'script']) {
      expect(existsSync(marker(name)), name).toBe(false);
    }
  });
});
