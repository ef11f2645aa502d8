import { describe as group, expect, it } from 'vitest';
import { scanFiles, expressRoute } from './scan-snippet.js';

/** The calls the scanner reports as setting no output cap, as `provider api`. */
async function uncapped(setup: string, body: string): Promise<string[]> {
  const endpoints = await scanFiles({ 'src/server.ts': expressRoute(setup, body) });
  return endpoints.flatMap((e) => e.facts.uncappedOutputs).map((u) => u.description);
}

group('output caps', () => {
  it('finds a cap nested in a config object', async () => {
    const setup = `import { GoogleGenAI } from '@google/genai';\nconst ai = new GoogleGenAI({});`;
    expect(await uncapped(setup, `  res.json(await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x', config: { maxOutputTokens: 256 } }));`)).toEqual([]);
    expect(await uncapped(setup, `  res.json(await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x', config: { temperature: 0 } }));`)).toHaveLength(1);
  });

  it('finds a cap set where the model was configured', async () => {
    const setup = `import { GoogleGenerativeAI } from '@google/generative-ai';
const model = new GoogleGenerativeAI('k').getGenerativeModel({ model: 'gemini-1.5-flash', generationConfig: { maxOutputTokens: 300 } });`;
    expect(await uncapped(setup, `  res.json(await model.generateContent({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }));`)).toEqual([]);
  });

  it('reads the configured model when the call passes no options: a prompt, a chat message, a chain input', async () => {
    const gemini = (config: string) => `import { GoogleGenerativeAI } from '@google/generative-ai';
const model = new GoogleGenerativeAI('k').getGenerativeModel({ model: 'gemini-1.5-flash'${config} });`;
    const prompt = `  res.json(await model.generateContent(String(req.body.prompt).slice(0, 500)));`;
    expect(await uncapped(gemini(''), prompt)).toEqual(['google generateContent sets no output-token limit']);
    expect(await uncapped(gemini(', generationConfig: { maxOutputTokens: 300 }'), prompt)).toEqual([]);
    const chat = (config: string) => `  const chat = model.startChat({ history: []${config} });
  res.json(await chat.sendMessage(String(req.body.message).slice(0, 500)));`;
    expect(await uncapped(gemini(''), chat(', generationConfig: { maxOutputTokens: 300 }'))).toEqual([]);
    expect(await uncapped(gemini(''), chat(''))).toEqual(['google startChat.sendMessage sets no output-token limit']);
    const langchain = (config: string) => `import { ChatOpenAI } from '@langchain/openai';
const llm = new ChatOpenAI({ model: 'gpt-4o-mini'${config} });`;
    const invoke = `  res.json(await llm.invoke(String(req.body.prompt).slice(0, 500)));`;
    expect(await uncapped(langchain(''), invoke)).toHaveLength(1);
    expect(await uncapped(langchain(', maxTokens: 400'), invoke)).toEqual([]);
  });

  it('does not ask embeddings for an output cap', async () => {
    expect(
      await uncapped(
        `import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
const client = new BedrockRuntimeClient({});`,
        `  res.json(await client.send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', body: JSON.stringify({ inputText: 'x' }) })));`,
      ),
    ).toEqual([]);
    expect(
      await uncapped(
        '',
        `  const r = await fetch('https://api.mistral.ai/v1/embeddings', { method: 'POST', body: JSON.stringify({ model: 'mistral-embed', input: ['x'] }) });\n  res.json(await r.json());`,
      ),
    ).toEqual([]);
  });
});
