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
