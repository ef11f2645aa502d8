import { describe, expect, it } from 'vitest';
import { packageName } from '../../src/semantic/package-name.js';
import { mentionsAi } from '../../src/pipeline/build-index.js';
import { SDK_MODULES } from '../../src/providers/index.js';

describe('packageName', () => {
  it.each([
    ['npm:openai', 'openai'],
    ['npm:openai@4.28.0', 'openai'],
    ['npm:@anthropic-ai/sdk@^0.20', '@anthropic-ai/sdk'],
    ['npm:ai@3/rsc', 'ai/rsc'],
    ['jsr:@openai/openai@4', 'openai'],
    ['jsr:@hono/hono', 'hono'],
    ['jsr:@std/http', '@std/http'],
    ['https://esm.sh/openai@4.28.0?target=deno', 'openai'],
    ['https://esm.sh/v135/@supabase/supabase-js@2.39.3', '@supabase/supabase-js'],
    ['https://cdn.jsdelivr.net/npm/openai@4/+esm', 'openai'],
    ['https://cdn.skypack.dev/@google/generative-ai', '@google/generative-ai'],
  ])('reads %s as %s', (specifier, name) => {
    expect(packageName(specifier)).toBe(name);
  });

  it('leaves other specifiers as written', () => {
    for (const specifier of ['openai', '@ai-sdk/openai', './lib/openai', '../x.ts', 'https://example.com/openai.js', 'node:fs']) {
      expect(packageName(specifier)).toBe(specifier);
    }
  });

  it('the index marks a file importing any AI SDK in these spellings as one that mentions AI', () => {
    for (const sdk of SDK_MODULES) {
      for (const spelling of [sdk, `npm:${sdk}@1.2.3`, `https://esm.sh/${sdk}@1?target=deno`]) {
        expect(mentionsAi(`import x from '${spelling}';`), spelling).toBe(true);
      }
    }
    expect(mentionsAi("import OpenAI from 'jsr:@openai/openai';")).toBe(true);
    expect(mentionsAi("import { Hono } from 'npm:hono';")).toBe(false);
  });
});
