/** Several paths are scanned together, from their common folder, and nothing outside them is reported. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

describe('scan paths', () => {
  it('reports only what lies under the given paths, relative to their common folder', async () => {
    const result = await scan({
      paths: [path.join(FIXTURES, 'express-classic/vulnerable/server.js'), path.join(FIXTURES, 'next-app-chatbot/vulnerable')],
    });
    expect(result.root).toBe(FIXTURES);
    expect(result.endpoints.map((e) => `${e.method} ${e.path} ${e.location.file}`)).toEqual([
      'POST /api/generate express-classic/vulnerable/server.js',
      'POST /api/chat next-app-chatbot/vulnerable/app/api/chat/route.ts',
    ]);
  });
});
