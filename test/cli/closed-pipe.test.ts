/**
 * A reader that stops early (`ai-endpoint-audit . | head -1`) closes the pipe. The CLI drops the rest of its
 * output without a crash, and still exits with the status the scan earns.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES, REPO, cleanEnv } from './helpers.js';

function runAndCloseStdout(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Close the reading end at the first byte, as `head -c 1` would.
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('a closed output pipe', () => {
  it('exits 1 on findings, with no stack trace', async () => {
    // More output than a pipe holds, so writing goes on after the reader has gone.
    const result = await runAndCloseStdout([FIXTURES, '--format', 'json']);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(result.status).toBe(1);
  });
});
