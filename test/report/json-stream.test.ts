/**
 * JSON and SARIF are written in pieces, never as one string: byte-identical to the one-string rendering, and no
 * piece grows with the number of routes (a report of 100,000 routes was longer than V8's string limit).
 */
import { describe, expect, it } from 'vitest';
import { jsonPieces } from '../../src/report/json-stream.js';
import { renderJson, renderJsonPieces } from '../../src/report/json.js';
import { renderSarif, renderSarifPieces } from '../../src/report/sarif.js';
import { safeOutput, safeOutputPieces } from '../../src/output/safe-text.js';
import type { Endpoint, Finding, ScanResult } from '../../src/model.js';
import { emptyResult, sampleResult } from './sample.js';

const joined = (pieces: Iterable<string>) => [...pieces].join('');

describe('jsonPieces', () => {
  it('joins to what JSON.stringify(value, null, 2) writes', () => {
    const values: unknown[] = [
      null,
      'text with "quotes", \n newlines and \u2028',
      [],
      {},
      [1, undefined, () => 1, 'x', [[], {}, [[[[{ deep: [1, { deeper: {} }] }]]]]]],
      { a: undefined, b: () => 1, c: [undefined], d: { e: { f: { g: { h: [1, 2, { i: 'j' }] } } } }, '1': 'numeric key first' },
      { when: new Date(0), nested: { when: new Date(1) } },
      { only: undefined },
      Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? undefined : i % 3 === 0 ? new Date(i) : { i, f: () => 1, u: undefined, list: [i, [i]] })),
      { a: { b: [{ c: Array.from({ length: 130 }, (_, i) => (i % 7 === 0 ? () => i : { i, nested: Array.from({ length: 20 }, (_, j) => j) })) }] } },
      [Array.from({ length: 17 }, (_, i) => [i, Array.from({ length: 16 }, () => ({ x: 'y' }))])],
    ];
    for (const value of values) expect(joined(jsonPieces(value))).toBe(JSON.stringify(value, null, 2));
  });

  it('yields the elements of a large list a few dozen at a time, whatever its length', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ path: `/r${i}`, facts: { auth: false, chain: ['a', 'b'] } }));
    const report = { runs: [{ results: rows }] };
    let pieces = 0;
    let longest = 0;
    for (const piece of jsonPieces(report)) {
      pieces++;
      longest = Math.max(longest, piece.length);
    }
    expect(pieces).toBeGreaterThan(rows.length / 64);
    expect(longest).toBeLessThan(64 * 200);
  });
});

describe('reports in pieces', () => {
  it('are byte-identical to the one-string JSON and SARIF reports', () => {
    for (const result of [sampleResult(), emptyResult()]) {
      expect(joined(renderJsonPieces(result))).toBe(renderJson(result));
      expect(joined(renderSarifPieces(result))).toBe(renderSarif(result));
    }
  });

  it('keep every piece small on a report of many routes', () => {
    const longestPiece = (times: number) => {
      const result = manyRoutes(sampleResult(), times);
      let longest = 0;
      for (const piece of renderSarifPieces(result)) longest = Math.max(longest, piece.length);
      for (const piece of renderJsonPieces(result)) longest = Math.max(longest, piece.length);
      return longest;
    };
    const [some, many] = [longestPiece(200), longestPiece(800)];
    expect(many).toBeLessThan(some * 1.1);
    expect(many).toBeLessThan(renderJson(manyRoutes(sampleResult(), 800)).length / 20);
  });

  it('pass the output filter in batches of whole lines, as the joined text would', () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => (i % 7 === 0 ? `::warning::${i}\u001b]0;x\u0007` : `  "line ${i}",`));
    const pieces = lines.map((line) => `${line}\n`);
    const batches = [...safeOutputPieces(pieces)];
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.join('')).toBe(safeOutput(pieces.join('')));
  });

  it('filter large pieces of whole lines as the joined text would, between small ones', () => {
    const big = (i: number) => `${Array.from({ length: 8_000 }, (_, j) => (j % 500 === 0 ? `::error::${i}\u202e##[x]` : `  "row ${i} ${j}",`)).join('\n')}\n`;
    const pieces = ['{\n', big(1), big(2), '  "tail": 1', '\n', big(3), '}'];
    const batches = [...safeOutputPieces(pieces)];
    expect(batches.join('')).toBe(safeOutput(pieces.join('')));
    expect(batches.length).toBeGreaterThan(2);
  });
});

/** The sample's endpoints and findings copied `times` times under distinct paths. */
function manyRoutes(sample: ScanResult, times: number): ScanResult {
  const endpoints: Endpoint[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < times; i++) {
    endpoints.push(...sample.endpoints.map((e) => ({ ...e, id: `${e.id}#${i}`, path: `${e.path}/${i}` })));
    findings.push(...sample.findings.map((f) => ({ ...f, fingerprint: `${f.fingerprint}${i}`, location: { ...f.location, line: f.location.line + i } })));
  }
  return { ...sample, endpoints, findings };
}
