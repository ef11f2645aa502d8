import { describe as group, expect, it } from 'vitest';
import { callsIn, expressRoute, scanFiles, unboundedIn } from './scan-snippet.js';

const agent = (options: string) => `import { Agent, Runner, run } from '@openai/agents';\nconst agent = new Agent({ name: 'Helper', instructions: 'Answer briefly.', ${options} });`;

group('OpenAI Agents SDK', () => {
  it('recognises run(agent, input) and a Runner, with the agent’s model', async () => {
    expect(await callsIn(agent("model: 'gpt-4.1'"), `  const result = await run(agent, req.body.question);\n  res.json({ text: result.finalOutput });`)).toEqual([
      'openai agents.run gpt-4.1',
    ]);
    expect(await callsIn(agent("model: 'gpt-4.1-mini'"), `  const result = await new Runner().run(agent, req.body.question);\n  res.json({ text: result.finalOutput });`)).toEqual([
      'openai agents.run gpt-4.1-mini',
    ]);
  });

  it('analyses the input and reads the output cap from the agent’s model settings', async () => {
    expect(await unboundedIn(agent("model: 'gpt-4.1'"), `  res.json(await run(agent, req.body.question));`)).toEqual(['input: item-size']);
    expect(await unboundedIn(agent("model: 'gpt-4.1', modelSettings: { maxTokens: 500 }"), `  res.json(await run(agent, String(req.body.question).slice(0, 2000)));`)).toEqual([]);
  });

  it('an agent without maxTokens in its model settings has no output cap', async () => {
    const uncapped = async (options: string) =>
      (await scanFiles({ 'src/server.ts': expressRoute(agent(options), '  res.json(await run(agent, String(req.body.q).slice(0, 500)));') })).map((e) => e.facts.uncappedOutputs.length);
    expect(await uncapped("model: 'gpt-4.1'")).toEqual([1]);
    expect(await uncapped("model: 'gpt-4.1', modelSettings: { maxTokens: 400 }")).toEqual([0]);
  });
});
