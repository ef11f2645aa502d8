import { describe as group, expect, it } from 'vitest';
import { callsIn, unboundedIn } from './scan-snippet.js';

group('Mastra agents', () => {
  it('recognises generate and stream on an agent, with a string or an AI SDK model', async () => {
    expect(
      await callsIn(`import { Agent } from '@mastra/core/agent';\nconst agent = new Agent({ id: 'a', name: 'A', instructions: 'Be brief.', model: 'openai/gpt-4o' });`, `  res.json(await agent.generate(req.body.question));`),
    ).toEqual(['openai agent.generate openai/gpt-4o']);
    expect(
      await callsIn(
        `import { Agent } from '@mastra/core/agent';\nimport { anthropic } from '@ai-sdk/anthropic';\nconst agent = new Agent({ name: 'A', instructions: 'Be brief.', model: anthropic('claude-sonnet-4-5') });`,
        `  const stream = await agent.stream(req.body.messages);\n  res.json(await stream.text);`,
      ),
    ).toEqual(['anthropic agent.stream claude-sonnet-4-5']);
  });

  it('follows mastra.getAgent(name) to the agent registered under that name', async () => {
    const files = {
      'src/mastra/agents/writer.ts': `import { Agent } from '@mastra/core/agent';\nexport const writer = new Agent({ id: 'writer', name: 'Writer', instructions: 'Write.', model: 'openai/gpt-4o-mini' });\n`,
      'src/mastra/index.ts': `import { Mastra } from '@mastra/core';\nimport { writer } from './agents/writer';\nexport const mastra = new Mastra({ agents: { writer } });\n`,
    };
    expect(await callsIn(`import { mastra } from './mastra';`, `  const agent = mastra.getAgent('writer');\n  res.json(await agent.generate(req.body.question));`, files)).toEqual([
      'openai agent.generate openai/gpt-4o-mini',
    ]);
  });

  it('analyses the input', async () => {
    const setup = `import { Agent } from '@mastra/core/agent';\nconst agent = new Agent({ name: 'A', instructions: 'Be brief.', model: 'openai/gpt-4o' });`;
    expect(await unboundedIn(setup, `  res.json(await agent.generate(req.body.messages));`)).toEqual(['input: array-length,item-size,roles']);
    expect(await unboundedIn(setup, `  res.json(await agent.generate(String(req.body.question).slice(0, 1000)));`)).toEqual([]);
  });

  it('a registry that refers to itself does not loop', async () => {
    expect(
      await callsIn(`import { Mastra } from '@mastra/core';\nconst mastra: any = new Mastra({ agents: { writer: mastra.getAgent('writer') } });`, `  res.json(await mastra.getAgent('writer').generate(req.body.q));`),
    ).toEqual(['mastra agent.generate']);
  });
});
