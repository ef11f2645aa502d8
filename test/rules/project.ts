/** Small projects written to temporary folders and scanned with the public API, for rule-level tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scan } from '../../src/index.js';
import type { Finding, ScanResult } from '../../src/model.js';

const made: string[] = [];

export function writeProject(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'aea-rules-'));
  made.push(root);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

export async function scanProject(files: Record<string, string>): Promise<ScanResult> {
  return scan({ paths: [writeProject(files)] });
}

export function removeProjects(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** `file:line` of each reported (not suppressed) finding of the rule, sorted. */
export function reported(result: ScanResult, rule: string): string[] {
  return result.findings
    .filter((f) => f.ruleId === rule && !f.suppressed)
    .map(where)
    .sort();
}

export function findingsOf(result: ScanResult, rule: string): Finding[] {
  return result.findings.filter((f) => f.ruleId === rule);
}

export function where(f: Finding): string {
  return `${f.location.file}:${f.location.line}`;
}

/** Line number (1-based) of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not found`);
  return index + 1;
}
