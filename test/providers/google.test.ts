import { describe as group, expect, it } from 'vitest';
import { callsIn, unboundedIn } from './scan-snippet.js';

group('@google/genai', () => {
  const setup = `import { GoogleGenAI } from '@google/genai';
const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });`;

  it('recognises models.generateContent and its stream variant with the model id', async () => {
    expect(
      await callsIn(
        setup,
        `  const a = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: req.body.text });
  const b = await ai.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'hello' });
  res.json({ a, b });`,
      ),
    ).toEqual(['google models.generateContent gemini-2.5-flash', 'google models.generateContentStream gemini-2.5-pro']);
  });

  it('recognises embedContent and chats with the model from chats.create', async () => {
    expect(
      await callsIn(
        setup,
        `  const e = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: [req.body.q] });
  const chat = ai.chats.create({ model: 'gemini-2.5-flash', history: req.body.history });
  const r = await chat.sendMessage({ message: req.body.message });
  res.json({ e, r });`,
      ),
    ).toEqual(['google models.embedContent gemini-embedding-001', 'google chats.sendMessage gemini-2.5-flash']);
  });

  it('does not count token counting as a paid call', async () => {
    expect(await callsIn(setup, `  res.json(await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: req.body.text }));`)).toEqual([]);
  });

  it('sees chat history given at chat creation as model input', async () => {
    expect(
      await unboundedIn(
        setup,
        `  const chat = ai.chats.create({ model: 'gemini-2.5-flash', history: req.body.history });
  res.json(await chat.sendMessage({ message: String(req.body.message).slice(0, 2000) }));`,
      ),
    ).toEqual(['history: array-length,item-size,roles']);
  });
});

group('@google/generative-ai', () => {
  const setup = `import { GoogleGenerativeAI } from '@google/generative-ai';
const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!);
const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash', generationConfig: { maxOutputTokens: 512 } });`;

  it('recognises generateContent on a model from getGenerativeModel, with its model id', async () => {
    expect(await callsIn(setup, `  const result = await model.generateContent(req.body.prompt);\n  res.json({ text: result.response.text() });`)).toEqual([
      'google generateContent gemini-1.5-flash',
    ]);
  });

  it('recognises startChat().sendMessage and generateContentStream', async () => {
    expect(
      await callsIn(
        setup,
        `  const chat = model.startChat({ history: [] });
  const a = await chat.sendMessage('hi');
  const b = await model.generateContentStream(['describe', 'this']);
  res.json({ a, b });`,
      ),
    ).toEqual(['google startChat.sendMessage gemini-1.5-flash', 'google generateContentStream gemini-1.5-flash']);
  });

  it('analyses a prompt passed positionally', async () => {
    expect(await unboundedIn(setup, `  res.json(await model.generateContent(req.body.prompt));`)).toEqual(['prompt: item-size']);
    expect(await unboundedIn(setup, `  res.json(await model.generateContent(String(req.body.prompt).slice(0, 4000)));`)).toEqual([]);
  });

  it('reads a request object with contents as the options', async () => {
    expect(
      await unboundedIn(setup, `  res.json(await model.generateContent({ contents: [{ role: 'user', parts: [{ text: req.body.prompt }] }] }));`),
    ).toEqual(['contents: item-size']);
  });
});
