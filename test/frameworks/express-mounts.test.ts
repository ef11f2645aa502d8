/** Express: handlers given straight to a scoped `app.use`, and middleware that passes the request on. */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { chatCall, endpointsOf } from './server-helpers.js';

afterAll(removeProjects);

describe('Express app.use handlers', () => {
  it('takes the last function of a scoped use() as a handler unless it calls next()', async () => {
    const found = await endpointsOf({
      'src/server.ts': `import express from 'express';
import { openai } from '../lib/openai';
const app = express();
app.use(express.json());
app.use('/api/tag', async (req, res, next) => {
  req.body.tags = ${chatCall('String(req.body.text).slice(0, 500)')};
  next();
});
app.use('/api/summary', async (req, res, next) => {
  try {
    res.json(${chatCall('String(req.body.text).slice(0, 500)')});
  } catch (err) {
    next(err);
  }
});
app.listen(3000);
`,
    });
    expect(found.map((e) => `${e.method} ${e.path}`)).toEqual(['ALL /api/summary']);
  });
});
