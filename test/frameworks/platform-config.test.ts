/** Deployment descriptors found by walking up from the handlers, asking the file system only where discovery did not look. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployedFunctions } from '../../src/frameworks/platform-config.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'aea-descriptors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(path.join(root, 'src'), { recursive: true });
writeFileSync(path.join(root, 'serverless.yml'), 'functions:\n  chat:\n    handler: src/chat.handler\n    events:\n      - httpApi:\n          path: /chat\n          method: post\n');
const handler = path.join(root, 'src/chat.ts');

describe('deployedFunctions', () => {
  it('reads the descriptors above a handler when nothing says what the folders hold', () => {
    expect(deployedFunctions(root, [handler]).map((f) => `${f.exportName} ${f.triggers.map((t) => `${t.method} ${t.path}`)}`)).toEqual(['handler POST /chat']);
  });

  it('reads the descriptors discovery saw in the folders it listed, and no other', () => {
    const folders = new Set([root, path.join(root, 'src')]);
    const seen = { folders, compilerConfigs: new Set<string>(), descriptors: new Set([path.join(root, 'serverless.yml')]) };
    expect(deployedFunctions(root, [handler], seen)).toHaveLength(1);
    expect(deployedFunctions(root, [handler], { ...seen, descriptors: new Set() })).toEqual([]);
    expect(deployedFunctions(root, [handler], { ...seen, folders: new Set([path.join(root, 'src')]), descriptors: new Set() })).toHaveLength(1);
  });
});
