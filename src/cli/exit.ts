/** Exit codes, and how a command's action hands its status back to `main`. */
import type { Command } from 'commander';
import { printErr } from '../output/output.js';

export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

/** A problem with what the user asked for (an option, a file to read or write): its message, then exit 2. */
export class UsageError extends Error {}

type WithStatus = Command & { exitStatus?: number };

function root(command: Command): WithStatus {
  let current = command;
  while (current.parent) current = current.parent;
  return current;
}

/** Records the exit status of the command that ran; `main` returns it. */
export function setExitStatus(command: Command, status: number): void {
  root(command).exitStatus = status;
}

export function exitStatus(program: Command): number {
  return root(program).exitStatus ?? EXIT.clean;
}

/** A message for the user on stderr, prefixed with the tool's name. */
export function complain(message: string): void {
  printErr(`ai-endpoint-audit: ${message}\n`);
}
