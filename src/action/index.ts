/** The action bundle's entry point: runs the action and exits with its status. */
import { runAction } from './main.js';

runAction().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`ai-endpoint-audit: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
