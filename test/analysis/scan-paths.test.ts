/**
 * Which paths a scan covers: several paths from their common folder, a sub-folder or one file of a project
 * (analysed with the project around it), and nothing outside the paths reported.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import type { ScanResult } from '../../src/model.js';
import { enclosingProjectRoot } from '../../src/discover/project-root.js';
import { makeProject, removeProjects, VULNERABLE_ROUTE } from '../robustness/project.js';

afterAll(removeProjects);

const FIXTURES = path.resolve(__dirname, '../../fixtures');

const inventory = (result: ScanResult) => result.endpoints.map((e) => `${e.method} ${e.path} ${e.location.file}`);
const rulesAt = (result: ScanResult) => result.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`).sort();

describe('scan paths', () => {
  it('reports only what lies under the given paths, relative to their common folder', async () => {
    const result = await scan({
      paths: [path.join(FIXTURES, 'express-classic/vulnerable/server.js'), path.join(FIXTURES, 'next-app-chatbot/vulnerable')],
    });
    expect(result.root).toBe(FIXTURES);
    expect(inventory(result)).toEqual([
      'POST /api/generate express-classic/vulnerable/server.js',
      'POST /api/chat next-app-chatbot/vulnerable/app/api/chat/route.ts',
    ]);
  });
});

describe('a sub-folder or one file of a project', () => {
  const app = path.join(FIXTURES, 'next-app-chatbot/vulnerable');

  it('finds the route in a route folder, or in the route file alone, with the findings of a whole-project scan', async () => {
    const whole = await scan({ paths: [app] });
    const expected = rulesAt(whole).map((line) => line.replace('app/api/chat/', ''));
    for (const scanned of ['app/api/chat', 'app/api/chat/route.ts']) {
      const result = await scan({ paths: [path.join(app, scanned)] });
      expect(result.root).toBe(path.join(app, 'app/api/chat'));
      expect(inventory(result)).toEqual(['POST /api/chat route.ts']);
      expect(rulesAt(result)).toEqual(expected);
    }
  });

  it('keeps the mount prefix an Express app above the folder gives its routers', async () => {
    const result = await scan({ paths: [path.join(FIXTURES, 'express-router-modules/vulnerable/src/routes')] });
    expect(inventory(result)).toEqual(['POST /api/ai/draft-reply ai.ts']);
  });

  it("counts the project's Next.js middleware above the folder as the route's authentication", async () => {
    const result = await scan({ paths: [path.join(FIXTURES, 'next-middleware-auth/fixed/src/app/api/replies')] });
    expect(inventory(result)).toEqual(['POST /api/replies/draft draft/route.ts']);
    expect(result.findings.map((f) => f.ruleId)).not.toContain('no-auth');
  });

  it('reports no other route of the project and counts only the files under the path', async () => {
    const root = makeProject({ 'package.json': '{}', 'app/api/other/route.ts': VULNERABLE_ROUTE, 'lib/unused.ts': '' });
    const result = await scan({ paths: [path.join(root, 'app/api/chat')] });
    expect(inventory(result)).toEqual(['POST /api/chat route.ts']);
    expect(result.stats.files).toBe(1);
  });
});

describe('the enclosing project root', () => {
  const made = mkdtempSync(path.join(tmpdir(), 'aea-project-root-'));
  const folder = (relative: string, files: string[] = []) => {
    const dir = path.join(made, relative);
    mkdirSync(dir, { recursive: true });
    for (const file of files) writeFileSync(path.join(dir, file), '{}');
    return dir;
  };

  it('is the nearest folder with a package manifest, or the repository top level, never above it', () => {
    folder('outside', ['package.json']);
    const repository = folder('outside/repo', []);
    mkdirSync(path.join(repository, '.git'));
    const web = folder('outside/repo/apps/web', ['package.json']);
    expect(enclosingProjectRoot(folder('outside/repo/apps/web/app/api'))).toBe(web);
    expect(enclosingProjectRoot(web)).toBe(web);
    expect(enclosingProjectRoot(folder('outside/repo/tools/scripts'))).toBe(repository);
    expect(enclosingProjectRoot(folder('outside/repo/apps/deno', ['deno.json']))).toBe(path.join(repository, 'apps/deno'));
  });

  it('is the scanned folder itself when nothing above it is a project', () => {
    const lone = folder('lone/app/api');
    expect(enclosingProjectRoot(lone)).toBe(lone);
  });
});
