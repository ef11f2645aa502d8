/**
 * Handlers come in many shapes: library wrappers (`asyncHandler(fn)`), bound methods of controller classes,
 * arrow functions delegating to a controller, CommonJS `module.exports = handler`. Each must reach its paid call.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

const FILES: Record<string, string> = {
  'src/app.js': `const express = require('express');
const asyncHandler = require('express-async-handler');
const { ChatController } = require('./controllers/chat');
const summarize = require('./controllers/summarize');

const app = express();
app.use(express.json());
const chat = new ChatController();

app.post('/api/chat', asyncHandler(async (req, res) => {
  const reply = await chat.openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 300, messages: req.body.messages });
  res.json(reply);
}));
app.post('/api/chat/bound', chat.handle.bind(chat));
app.post('/api/chat/arrow', (req, res) => chat.handle(req, res));
app.post('/api/summarize', summarize);

module.exports = app;
`,
  'src/controllers/chat.js': `const OpenAI = require('openai');

class ChatController {
  constructor() {
    this.openai = new OpenAI();
  }

  async handle(req, res) {
    const out = await this.openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 100, messages: req.body.messages });
    res.json(out);
  }
}

module.exports = { ChatController };
`,
  'src/controllers/summarize.js': `const Anthropic = require('@anthropic-ai/sdk');

const anthropic = new Anthropic();

module.exports = async function summarize(req, res) {
  const msg = await anthropic.messages.create({ model: 'claude-3-5-sonnet-latest', max_tokens: 500, messages: [{ role: 'user', content: req.body.text }] });
  res.json(msg);
};
`,
};

describe('handler shapes', () => {
  it('reaches the paid call through wrappers, bound methods, controllers and module.exports', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aea-shapes-'));
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const result = await scan({ paths: [dir] });
    expect(result.endpoints.map((e) => `${e.method} ${e.path} -> ${e.aiCalls.map((c) => `${c.provider} ${c.api} ${c.location.file}:${c.location.line}`).join(', ')}`)).toEqual([
      'POST /api/chat -> openai chat.completions.create src/app.js:11',
      'POST /api/chat/bound -> openai chat.completions.create src/controllers/chat.js:9',
      'POST /api/chat/arrow -> openai chat.completions.create src/controllers/chat.js:9',
      'POST /api/summarize -> anthropic messages.create src/controllers/summarize.js:6',
    ]);
    const unbounded = result.findings.filter((f) => f.ruleId === 'unbounded-input').map((f) => `${f.location.file}:${f.location.line}`);
    expect(unbounded).toEqual(['src/app.js:11', 'src/controllers/chat.js:9', 'src/controllers/chat.js:9', 'src/controllers/summarize.js:6']);
  });
});
