import { describe as group, expect, it } from 'vitest';
import { callsIn, scanFiles, unboundedIn } from './scan-snippet.js';

const instance = `import { genkit } from 'genkit';\nimport { googleAI } from '@genkit-ai/google-genai';\nconst ai = genkit({ plugins: [googleAI()], model: googleAI.model('gemini-2.5-flash') });`;

group('Genkit', () => {
  it('recognises generate and generateStream, with the instance’s model or the call’s', async () => {
    expect(await callsIn(instance, `  const { text } = await ai.generate({ prompt: req.body.question });\n  res.json({ text });`)).toEqual(['google generate gemini-2.5-flash']);
    expect(await callsIn(instance, `  const { response } = ai.generateStream({ model: 'googleai/gemini-2.5-pro', prompt: req.body.question });\n  res.json(await response);`)).toEqual([
      'google generateStream googleai/gemini-2.5-pro',
    ]);
    expect(await callsIn(instance, `  res.json(await ai.generate(req.body.question));`)).toEqual(['google generate gemini-2.5-flash']);
  });

  it('analyses the prompt and reads the output cap from config', async () => {
    expect(await unboundedIn(instance, `  res.json(await ai.generate({ prompt: req.body.question }));`)).toEqual(['prompt: item-size']);
    expect(await unboundedIn(instance, `  res.json(await ai.generate({ prompt: String(req.body.question).slice(0, 800), config: { maxOutputTokens: 300 } }));`)).toEqual([]);
  });

  it('follows a call of a flow into the function it was defined with', async () => {
    const flow = `${instance}\nconst answerFlow = ai.defineFlow({ name: 'answer' }, async (question: string) => {\n  const { text } = await ai.generate({ prompt: question });\n  return text;\n});`;
    expect(await callsIn(flow, `  res.json({ text: await answerFlow(req.body.question) });`)).toEqual(['google generate gemini-2.5-flash']);
    expect(await unboundedIn(flow, `  res.json({ text: await answerFlow(req.body.question) });`)).toEqual(['prompt: item-size']);
  });

  it('serves a flow with onCallGenkit, whose authPolicy is the authentication', async () => {
    const flowFile = `${instance}\nexport const answerFlow = ai.defineFlow({ name: 'answer' }, async (question: string) => {\n  const { text } = await ai.generate({ prompt: question });\n  return text;\n});\n`;
    const served = async (options: string) =>
      (
        await scanFiles({
          'functions/src/flows.ts': flowFile,
          'functions/src/index.ts': `import { onCallGenkit, hasClaim } from 'firebase-functions/https';\nimport { answerFlow } from './flows';\nexport const answer = onCallGenkit(${options}answerFlow);\n`,
        })
      ).map((e) => `${e.method} ${e.path} auth=${e.facts.auth.length > 0} inputs=${e.facts.unboundedInputs.map((u) => u.argument).join(',')}`);
    expect(await served('')).toEqual(['POST /answer auth=false inputs=prompt']);
    expect(await served("{ authPolicy: hasClaim('email_verified') }, ")).toEqual(['POST /answer auth=true inputs=prompt']);
    expect(await served('{ authPolicy: () => true }, ')).toEqual(['POST /answer auth=false inputs=prompt']);
  });
});
