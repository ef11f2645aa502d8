/** Scans a small project written to a temporary folder: one Express route per snippet. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scan, type AiCall, type Endpoint } from '../../src/index.js';

export async function scanFiles(files: Record<string, string>): Promise<Endpoint[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'provider-snippet-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const result = await scan({ paths: [dir] });
    return result.endpoints;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An Express server whose POST /run handler has `body` as its body; `setup` goes at module level. */
export function expressRoute(setup: string, body: string): string {
  return `import express from 'express';
${setup}

const app = express();
app.use(express.json());

app.post('/run', async (req, res) => {
${body}
});

app.listen(3000);
`;
}

/** The paid calls the scanner finds in one route, as `provider api model`. */
export async function callsIn(setup: string, body: string, extra: Record<string, string> = {}): Promise<string[]> {
  const endpoints = await scanFiles({ 'src/server.ts': expressRoute(setup, body), ...extra });
  return endpoints.flatMap((e) => e.aiCalls).map(describe);
}

export function describe(call: AiCall): string {
  return [call.provider, call.api, call.model].filter(Boolean).join(' ');
}

/** The unbounded inputs of the single route, as `argument: missing bounds`. */
export async function unboundedIn(setup: string, body: string): Promise<string[]> {
  const endpoints = await scanFiles({ 'src/server.ts': expressRoute(setup, body) });
  return endpoints.flatMap((e) => e.facts.unboundedInputs).map((u) => `${u.argument}: ${u.missing.join(',')}`);
}
