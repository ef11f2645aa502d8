import { describe as group, expect, it } from 'vitest';
import { callsIn, unboundedIn } from './scan-snippet.js';

const AGENT = `import { openai } from '@ai-sdk/openai';
import { ToolLoopAgent, pipeAgentUIStreamToResponse } from 'ai';
const agent = new ToolLoopAgent({ model: openai('gpt-5-mini'), instructions: 'You research questions.' });`;

group('Vercel AI SDK agents', () => {
  it('recognises agent runs and the helpers that stream an agent to the response', async () => {
    expect(
      await callsIn(
        AGENT,
        `  const a = await agent.generate({ prompt: String(req.body.q).slice(0, 2000) });
  const b = agent.stream({ prompt: 'fixed' });
  pipeAgentUIStreamToResponse({ agent, uiMessages: [], response: res });`,
      ),
    ).toEqual(['vercel-ai agent.generate', 'vercel-ai agent.stream', 'vercel-ai pipeAgentUIStreamToResponse']);
  });

  it('analyses the UI messages a client sends to an agent', async () => {
    expect(await unboundedIn(AGENT, `  pipeAgentUIStreamToResponse({ agent, uiMessages: req.body.messages, response: res });`)).toEqual([
      'uiMessages: array-length,item-size,roles',
    ]);
  });
});
