#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

// A reader that stops early (`| head`) closes the pipe: the rest of the output is dropped, and the run goes on
// to exit with the status the scan earns, so a pipeline under `pipefail` still fails on findings.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`ai-endpoint-audit: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
