import { describe as group, expect, it } from 'vitest';
import { callsIn, scanFiles, expressRoute, unboundedIn } from './scan-snippet.js';

group('LlamaIndex TS', () => {
  it('recognises chat and complete on an LLM', async () => {
    expect(
      await callsIn(
        `import { OpenAI } from '@llamaindex/openai';
const llm = new OpenAI({ model: 'gpt-4o-mini', maxTokens: 300 });`,
        `  const a = await llm.chat({ messages: req.body.messages });
  const b = await llm.complete({ prompt: 'x' });
  res.json({ a, b });`,
      ),
    ).toEqual(['llamaindex OpenAI.chat gpt-4o-mini', 'llamaindex OpenAI.complete gpt-4o-mini']);
  });

  it('recognises a query engine made from an index', async () => {
    expect(
      await callsIn(
        `import { Document, VectorStoreIndex } from 'llamaindex';
const index = await VectorStoreIndex.fromDocuments([new Document({ text: 'handbook' })]);`,
        `  const engine = index.asQueryEngine();
  res.json(await engine.query({ query: req.body.question }));`,
      ),
    ).toEqual(['llamaindex asQueryEngine.query']);
  });

  it('analyses the query', async () => {
    expect(
      await unboundedIn(
        `import { VectorStoreIndex } from 'llamaindex';
const index = await VectorStoreIndex.fromDocuments([]);`,
        `  res.json(await index.asQueryEngine().query({ query: req.body.question }));`,
      ),
    ).toEqual(['query: item-size']);
  });

  it('does not count engines when the project sets Settings.llm to a local model', async () => {
    const endpoints = await scanFiles({
      'src/settings.ts': `import { Settings } from 'llamaindex';
import { Ollama } from '@llamaindex/ollama';
Settings.llm = new Ollama({ model: 'llama3.1' });
`,
      'src/server.ts': expressRoute(
        `import './settings.js';
import { VectorStoreIndex } from 'llamaindex';
const index = await VectorStoreIndex.fromDocuments([]);`,
        `  res.json(await index.asQueryEngine().query({ query: req.body.question }));`,
      ),
    });
    expect(endpoints).toEqual([]);
  });

  it('does not count an Ollama LLM', async () => {
    expect(
      await callsIn(`import { Ollama } from '@llamaindex/ollama';\nconst llm = new Ollama({ model: 'llama3.1' });`, `  res.json(await llm.chat({ messages: [] }));`),
    ).toEqual([]);
  });
});

group('LlamaIndex engines with their own LLM', () => {
  it('follows the llm option of a chat engine', async () => {
    const setup = (llm: string) => `import { SimpleChatEngine } from 'llamaindex';
${llm}
const engine = new SimpleChatEngine({ llm });`;
    expect(
      await callsIn(setup(`import { Ollama } from '@llamaindex/ollama';\nconst llm = new Ollama({ model: 'llama3.1' });`), `  res.json(await engine.chat({ message: req.body.message }));`),
    ).toEqual([]);
    expect(
      await callsIn(setup(`import { Anthropic } from '@llamaindex/anthropic';\nconst llm = new Anthropic({ model: 'claude-3-5-haiku-latest' });`), `  res.json(await engine.chat({ message: req.body.message }));`),
    ).toEqual(['llamaindex SimpleChatEngine.chat']);
  });
});
