import { describe as group, expect, it } from 'vitest';
import { callsIn, scanFiles, expressRoute, unboundedIn } from './scan-snippet.js';

const setup = `import OpenAI from 'openai';\nconst openai = new OpenAI();`;

group('OpenAI Assistants API', () => {
  it('counts a run of an assistant as a paid call; adding a message to a thread is not one', async () => {
    expect(
      await callsIn(
        setup,
        `  await openai.beta.threads.messages.create(req.params.threadId, { role: 'user', content: req.body.content });
  const stream = openai.beta.threads.runs.stream(req.params.threadId, { assistant_id: 'asst_1' });
  const run = await openai.beta.threads.runs.createAndPoll(req.params.threadId, { assistant_id: 'asst_1', model: 'gpt-4o-mini' });
  const started = await openai.beta.threads.createAndRun({ assistant_id: 'asst_1', thread: { messages: req.body.messages } });
  const resumed = openai.beta.threads.runs.submitToolOutputsStream(req.params.threadId, req.body.runId, { tool_outputs: req.body.outputs });
  res.json({ stream, run, started, resumed });`,
      ),
    ).toEqual([
      'openai beta.threads.runs.stream',
      'openai beta.threads.runs.createAndPoll gpt-4o-mini',
      'openai beta.threads.createAndRun',
      'openai beta.threads.runs.submitToolOutputsStream',
    ]);
  });

  it('reads the run options after the thread id, for its output cap', async () => {
    const uncapped = async (options: string) =>
      (await scanFiles({ 'src/server.ts': expressRoute(setup, `  res.json(await openai.beta.threads.runs.create(req.params.threadId, ${options}));`) }))
        .flatMap((e) => e.facts.uncappedOutputs)
        .map((u) => u.description);
    expect(await uncapped(`{ assistant_id: 'asst_1', max_completion_tokens: 500 }`)).toEqual([]);
    expect(await uncapped(`{ assistant_id: 'asst_1' }`)).toEqual(['openai beta.threads.runs.create sets no output-token limit']);
  });

  it('reads the messages added to the thread before the run as its input', async () => {
    const run = `  const thread = await openai.beta.threads.create();
  await openai.beta.threads.messages.create(thread.id, { role: 'user', content: CONTENT });
  res.json(await openai.beta.threads.runs.create(thread.id, { assistant_id: 'asst_1', max_completion_tokens: 500 }));`;
    expect(await unboundedIn(setup, run.replace('CONTENT', 'req.body.message'))).toEqual(['thread message: item-size']);
    expect(await unboundedIn(setup, run.replace('CONTENT', 'String(req.body.message).slice(0, 2000)'))).toEqual([]);
  });
});
