/** The progress line: only for a person at a terminal, throttled, and cleared before the report. */
import { describe, expect, it } from 'vitest';
import { createProgress, describe as describeProgress, progressEnabled } from '../../src/cli/progress.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe('progress', () => {
  it('is on for a terminal outside CI, off in CI, when not a terminal, and with --quiet', () => {
    expect(progressEnabled(stream(true), {}, false)).toBe(true);
    expect(progressEnabled(stream(true), { CI: 'false' }, false)).toBe(true);
    expect(progressEnabled(stream(true), { CI: 'true' }, false)).toBe(false);
    expect(progressEnabled(stream(true), { CI: '1' }, false)).toBe(false);
    expect(progressEnabled(stream(false), {}, false)).toBe(false);
    expect(progressEnabled(stream(true), {}, true)).toBe(false);
  });

  it('shows files indexed, files analyzed and routes, redrawing at most every 100 ms, and clears the line', () => {
    const out = stream(true);
    let now = 0;
    const progress = createProgress(out, true, () => now);
    progress.update({ filesIndexed: 120, filesAnalysed: 0, routesAnalysed: 0 });
    now = 50;
    progress.update({ filesIndexed: 120, filesAnalysed: 30, routesAnalysed: 0 });
    now = 200;
    progress.update({ filesIndexed: 120, filesAnalysed: 30, routesAnalysed: 4 });
    progress.done();
    expect(out.writes).toEqual([
      '\r\u001b[2Kai-endpoint-audit: 120 files indexed…',
      '\r\u001b[2Kai-endpoint-audit: 120 files indexed, 30 files analyzed, 4 routes…',
      '\r\u001b[2K',
    ]);
  });

  it('writes nothing when disabled', () => {
    const out = stream(true);
    const progress = createProgress(out, false);
    progress.update({ filesIndexed: 1, filesAnalysed: 1, routesAnalysed: 1 });
    progress.done();
    expect(out.writes).toEqual([]);
    expect(describeProgress({ filesIndexed: 3, filesAnalysed: 2, routesAnalysed: 0 })).toBe('ai-endpoint-audit: 3 files indexed, 2 files analyzed…');
  });
});
