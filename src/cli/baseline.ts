/**
 * Baselines: the findings a team has accepted for now, by fingerprint. With a baseline only new findings are
 * reported, so the tool can gate pull requests on a codebase that already has findings.
 *
 * Fingerprints are built from the rule, the endpoint, the file and the code at the location (not the line
 * number), so they survive unrelated edits above the code. The rule, file and message are written too, for the
 * people reviewing the file; only the fingerprint is matched.
 */
import { readFileSync } from 'node:fs';
import { writeFileNoFollow } from '../output/output.js';
import { z } from 'zod';
import type { Finding, ScanResult } from '../model.js';
import { compareFindings, sorted } from '../findings/order.js';
import { UsageError } from './exit.js';

export const BASELINE_FORMAT = 1;

const baselineSchema = z.object({
  format: z.literal(BASELINE_FORMAT, { error: `unsupported baseline format; this version reads format ${BASELINE_FORMAT}` }),
  tool: z.object({ name: z.string(), version: z.string() }).optional(),
  findings: z.array(
    z.object({
      fingerprint: z.string().min(1),
      rule: z.string().optional(),
      file: z.string().optional(),
      endpoint: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});

export type Baseline = z.infer<typeof baselineSchema>;

export class BaselineError extends UsageError {}

export function createBaseline(result: ScanResult): Baseline {
  const accepted = sorted(result.findings, compareFindings).filter((f) => !f.suppressed);
  const seen = new Set<string>();
  const findings: Baseline['findings'] = [];
  for (const finding of accepted) {
    if (seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    findings.push({
      fingerprint: finding.fingerprint,
      rule: finding.ruleId,
      file: finding.location.file,
      ...(finding.endpointId ? { endpoint: finding.endpointId } : {}),
      message: finding.message,
    });
  }
  return { format: BASELINE_FORMAT, tool: { name: result.tool.name, version: result.tool.version }, findings };
}

export function writeBaseline(file: string, baseline: Baseline): void {
  try {
    writeFileNoFollow(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    throw new BaselineError(`cannot write the baseline ${file}: ${(error as Error).message}`);
  }
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new BaselineError(
      missing
        ? `baseline not found: ${file} (create it with --write-baseline ${file})`
        : `cannot read the baseline ${file}: ${(error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`the baseline ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new BaselineError(`the baseline ${file} is not a baseline file${where}: ${issue.message} (write a new one with --write-baseline)`);
  }
  return parsed.data;
}

/** Findings whose fingerprint the baseline does not hold. */
export function newFindings(findings: readonly Finding[], baseline: Baseline): Finding[] {
  const known = new Set(baseline.findings.map((f) => f.fingerprint));
  return findings.filter((f) => !known.has(f.fingerprint));
}
