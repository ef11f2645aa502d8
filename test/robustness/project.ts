/** Builds small projects in temporary folders for the robustness tests, and runs the CLI in-process. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { ScanResult } from '../../src/model.js';

/** A public Next.js route that sends the request body to OpenAI with no protection at all. */
export const VULNERABLE_ROUTE = `import OpenAI from 'openai';

const openai = new OpenAI();

export async function POST(req: Request) {
  const { prompt } = await req.json();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: prompt }],
  });
  return Response.json({ text: completion.choices[0].message.content });
}
`;
export const VULNERABLE_FILE = 'app/api/chat/route.ts';
export const VULNERABLE_LINE = 5;

const made: string[] = [];

/** A temporary project with the given files (text or bytes); with the vulnerable route unless told otherwise. */
export function makeProject(files: Record<string, string | Buffer> = {}, withRoute = true): string {
  const root = mkdtempSync(path.join(tmpdir(), 'aea-robust-'));
  made.push(root);
  const all: Record<string, string | Buffer> = withRoute ? { [VULNERABLE_FILE]: VULNERABLE_ROUTE, ...files } : files;
  for (const [file, content] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

export function removeProjects(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** The no-auth finding of the vulnerable route is still reported: the rest of the scan completed. */
export function hasVulnerableRouteFinding(result: ScanResult): boolean {
  return result.findings.some((f) => f.ruleId === 'no-auth' && f.location.file === VULNERABLE_FILE && f.location.line === VULNERABLE_LINE);
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process, capturing what it writes. */
export async function runCli(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    const code = await main(['node', 'ai-endpoint-audit', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
