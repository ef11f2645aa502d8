/**
 * A client the resolver cannot follow (handed out by a service, typed with the SDK's types) is still the SDK's
 * when the call has the SDK's shape and the file sees the SDK; without the SDK in sight, the shape is not enough.
 */
import { describe, expect, it } from 'vitest';
import { scanFiles } from './scan-snippet.js';

const service = (sdkImport: string) => `${sdkImport}
export const llm = {
  async chat() {
    return makeClient().chat;
  },
};
declare function makeClient(): any;
`;

const route = `import express from 'express';
import { llm } from './llm.js';
const app = express();
app.post('/api/ask', async (req, res) => {
  const chat = await llm.chat();
  const completion = await chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 300, messages: req.body.messages });
  res.json(completion);
});
app.listen(3000);
`;

const calls = (endpoints: Awaited<ReturnType<typeof scanFiles>>) => endpoints.flatMap((e) => e.aiCalls.map((c) => `${e.method} ${e.path} ${c.provider} ${c.api}`));

describe('calls shaped like the OpenAI SDK on a client the resolver cannot follow', () => {
  it('count when the project imports the SDK where the client is made', async () => {
    const endpoints = await scanFiles({ 'src/llm.ts': service("import type OpenAI from 'openai';"), 'src/server.ts': route });
    expect(calls(endpoints)).toEqual(['POST /api/ask openai chat.completions.create']);
  });

  it('do not count in a project that does not use the SDK', async () => {
    const endpoints = await scanFiles({ 'src/llm.ts': service("import { makeClient } from './fake-client.js';"), 'src/server.ts': route });
    expect(calls(endpoints)).toEqual([]);
  });
});
