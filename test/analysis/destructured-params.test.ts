/**
 * A helper that destructures its object parameter (`function send({ topic })`) reads what the caller put under
 * that name (`send({ topic: req.body.topic })`): request data keeps its origin through the object.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects, reported, scanProject } from '../rules/project.js';

afterAll(removeProjects);

const helper =
  "import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport async function send({ topic, tone }: { topic: string; tone: string }) {\n  return openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: `${tone}: ${topic}` }] });\n}\n";
const server = (argument: string) =>
  `import express from 'express';\nimport { send } from './send';\nconst app = express();\napp.post('/api/send', async (req, res) => res.json(await send(${argument})));\napp.listen(3000);\n`;

describe('destructured object parameters', () => {
  it('keep the request origin of the property the caller passes', async () => {
    const result = await scanProject({ 'src/send.ts': helper, 'src/server.ts': server("{ topic: req.body.topic, tone: 'calm' }") });
    expect(reported(result, 'unbounded-input')).toEqual(['src/send.ts:4']);
  });

  it('see a constant the caller passes as a constant', async () => {
    const result = await scanProject({ 'src/send.ts': helper, 'src/server.ts': server("{ topic: 'weather', tone: 'calm' }") });
    expect(result.endpoints).toHaveLength(1);
    expect(reported(result, 'unbounded-input')).toEqual([]);
  });
});

describe('destructuring assignments', () => {
  it('give a variable declared without a value the member the pattern takes', async () => {
    const result = await scanProject({
      'src/server.js':
        "const express = require('express');\nconst OpenAI = require('openai');\nconst openai = new OpenAI();\nconst app = express();\napp.post('/api/ask', async (req, res) => {\n  let model, question;\n  ;({ model, question: question } = req.body);\n  res.json(await openai.chat.completions.create({ model, max_tokens: 200, messages: [{ role: 'user', content: question }] }));\n});\napp.listen(3000);\n",
    });
    expect(reported(result, 'client-controlled-params')).toEqual(['src/server.js:8']);
    expect(reported(result, 'unbounded-input')).toEqual(['src/server.js:8']);
  });
});
