/**
 * Loopback servers for the guard's end-to-end tests: a stand-in for the model API that counts calls and
 * reports usage, a webhook receiver for spend alerts, and a TCP relay in front of a store so a test can
 * take the store away from the app.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ModelStub {
  url: string;
  /** Completions served so far. */
  calls: number;
  /** Request bodies received, in order. */
  requests: { model?: unknown; max_tokens?: unknown; messages?: unknown }[];
  usage: { prompt_tokens: number; completion_tokens: number };
  close(): Promise<void>;
}

type Usage = ModelStub['usage'];

/**
 * An OpenAI-style chat completions endpoint on 127.0.0.1 answering every call with fixed usage, or with the
 * usage `usageOf` computes from the request (a real tokenizer's count, say).
 */
export async function startModelStub(usage = { prompt_tokens: 120, completion_tokens: 80 }, usageOf?: (body: ModelStub['requests'][number]) => Usage): Promise<ModelStub> {
  const stub: Omit<ModelStub, 'url' | 'close'> = { calls: 0, requests: [], usage };
  const server = http.createServer((req, res) => {
    readBody(req).then((body) => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      stub.calls++;
      const request = JSON.parse(body);
      stub.requests.push(request);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `chatcmpl-${stub.calls}`, choices: [{ index: 0, message: { role: 'assistant', content: 'Sure.' } }], usage: usageOf?.(request) ?? stub.usage }));
    });
  });
  const url = await listen(server);
  return Object.assign(stub, { url, close: () => close(server) });
}

export interface WebhookReceiver {
  url: string;
  received: { text: string; alert: { kind: string; spentUsd: number; thresholdUsd: number } }[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookReceiver['received'] = [];
  const server = http.createServer((req, res) => {
    readBody(req).then((body) => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  const url = await listen(server);
  return { url, received, close: () => close(server) };
}

export interface TcpRelay {
  port: number;
  /** Closes every relayed connection and stops accepting new ones: the store is gone for the app. */
  stop(): Promise<void>;
  /** Accepts connections on the same port again: the store is back. */
  resume(): Promise<void>;
}

/** Forwards 127.0.0.1:<port> to a store server. */
export async function startTcpRelay(targetHost: string, targetPort: number): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
    resume: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
  };
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Waits until `condition` holds, polling for at most `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
