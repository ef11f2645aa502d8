/**
 * A one-line progress display on stderr for long scans. Shown only to a person watching a terminal: never when
 * stderr is not a TTY, when running in CI (the `CI` variable), or with --quiet.
 */
import type { ScanProgress } from '../pipeline/scan.js';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  update(progress: ScanProgress): void;
  /** Clears the line so the report starts on a clean line. */
  done(): void;
}

const QUIET: Progress = { update() {}, done() {} };
/** Redraw at most this often; a large project reports thousands of steps. */
const REDRAW_MS = 100;

export function progressEnabled(stream: ProgressStream, env: NodeJS.ProcessEnv, quiet: boolean): boolean {
  if (quiet || stream.isTTY !== true) return false;
  const ci = env.CI;
  return ci === undefined || ci === '' || ci === '0' || ci.toLowerCase() === 'false';
}

export function createProgress(stream: ProgressStream, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled) return QUIET;
  let last = -Infinity;
  let shown = false;
  return {
    update(progress) {
      const time = now();
      if (time - last < REDRAW_MS) return;
      last = time;
      shown = true;
      stream.write(`\r\u001b[2K${describe(progress)}`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}

export function describe(progress: ScanProgress): string {
  const parts = [`${progress.filesIndexed} files indexed`];
  if (progress.filesAnalysed > 0) parts.push(`${progress.filesAnalysed} files analyzed`);
  if (progress.routesAnalysed > 0) parts.push(`${progress.routesAnalysed} routes`);
  return `ai-endpoint-audit: ${parts.join(', ')}…`;
}
