/** The files the runner reads after a step: its outputs (`$GITHUB_OUTPUT`) and its job summary (`$GITHUB_STEP_SUMMARY`). */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { safeOutput } from '../output/safe-text.js';

/** Appends `name<<delimiter` blocks, the form that carries any value, several lines included. */
export function setOutputs(outputs: Record<string, string>, env: NodeJS.ProcessEnv): void {
  if (!env.GITHUB_OUTPUT) return;
  const blocks = Object.entries(outputs).map(([name, value]) => {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  });
  appendFileSync(env.GITHUB_OUTPUT, blocks.join(''));
}

export function appendSummary(markdown: string, env: NodeJS.ProcessEnv): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, safeOutput(markdown));
}
