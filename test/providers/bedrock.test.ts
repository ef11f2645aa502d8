import { describe as group, expect, it } from 'vitest';
import { callsIn, unboundedIn } from './scan-snippet.js';

const setup = `import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ListAsyncInvokesCommand,
} from '@aws-sdk/client-bedrock-runtime';
const client = new BedrockRuntimeClient({ region: 'us-east-1' });`;

group('@aws-sdk/client-bedrock-runtime', () => {
  it('recognises send() of InvokeModel and Converse commands and their stream variants', async () => {
    expect(
      await callsIn(
        setup,
        `  const modelId = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
  const a = await client.send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: req.body.q }] }] }));
  const b = await client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [] }));
  const command = new InvokeModelCommand({ modelId: 'meta.llama3-70b-instruct-v1:0', body: JSON.stringify({ prompt: 'hi', max_gen_len: 256 }) });
  const c = await client.send(command);
  const d = await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body: JSON.stringify({ messages: [] }) }));
  res.json({ a, b, c, d });`,
      ),
    ).toEqual([
      'bedrock Converse anthropic.claude-3-5-sonnet-20240620-v1:0',
      'bedrock ConverseStream amazon.nova-lite-v1:0',
      'bedrock InvokeModel meta.llama3-70b-instruct-v1:0',
      'bedrock InvokeModelWithResponseStream anthropic.claude-3-5-sonnet-20240620-v1:0',
    ]);
  });

  it('does not count other commands sent with the same client', async () => {
    expect(await callsIn(setup, `  res.json(await client.send(new ListAsyncInvokesCommand({})));`)).toEqual([]);
  });

  it('reads the JSON body of InvokeModel as the model input, through TextEncoder too', async () => {
    expect(
      await unboundedIn(
        setup,
        `  const payload = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 512, messages: req.body.messages };
  const out = await client.send(new InvokeModelCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: new TextEncoder().encode(JSON.stringify(payload)) }));
  res.json(out);`,
      ),
    ).toEqual(['messages: array-length,item-size,roles']);
  });

  it('analyses Converse messages', async () => {
    expect(
      await unboundedIn(
        setup,
        `  res.json(await client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: req.body.q }] }], inferenceConfig: { maxTokens: 300 } })));`,
      ),
    ).toEqual(['messages: item-size']);
  });

  it('recognises the aggregated BedrockRuntime client', async () => {
    expect(
      await callsIn(
        `import { BedrockRuntime } from '@aws-sdk/client-bedrock-runtime';
const bedrock = new BedrockRuntime({ region: 'eu-west-1' });`,
        `  res.json(await bedrock.converse({ modelId: 'mistral.mistral-large-2402-v1:0', messages: [] }));`,
      ),
    ).toEqual(['bedrock Converse mistral.mistral-large-2402-v1:0']);
  });
});
