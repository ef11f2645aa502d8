/**
 * Stage 8, rules: run every rule over every endpoint (each rule decides how many findings it reports) and over the
 * project-wide facts, then give each finding its fingerprints: GitHub's line hash, and our own id built from
 * the rule, the route and the code at the location, which survives edits above it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Endpoint, Finding, FindingDraft, ProjectFacts, Rule } from '../model.js';
import { lineHashes, stableFingerprint } from '../findings/fingerprint.js';
import { fixForEndpoint } from '../findings/fix-advice.js';
import { compareFindings } from '../findings/order.js';
import { judgeConfidence } from '../../rules/confidence.js';
import { type CommentsByLine, commentsByLine } from '../parse/comments.js';

export function applyRules(endpoints: readonly Endpoint[], project: ProjectFacts, rules: readonly Rule[], texts: FileTexts): Finding[] {
  const findings: Finding[] = [];
  const occurrences = new Map<string, number>();
  const finish = (rule: Rule, draft: FindingDraft, route: string, framework?: string) => {
    const lineText = texts.lines(draft.location.file)?.[draft.location.line - 1]?.trim() ?? '';
    const identity = [rule.meta.id, route, draft.location.file, lineText].join('\u0000');
    const occurrence = (occurrences.get(identity) ?? 0) + 1;
    occurrences.set(identity, occurrence);
    findings.push({
      ...draft,
      ruleId: rule.meta.id,
      severity: rule.meta.severity,
      fingerprint: stableFingerprint([rule.meta.id, route, draft.location.file, lineText, String(occurrence)]),
      lineHash: texts.lineHash(draft.location.file, draft.location.line),
      help: framework === undefined ? rule.meta.fix : fixForEndpoint(rule.meta.fix, framework),
    });
  };
  for (const endpoint of endpoints) {
    for (const rule of rules) {
      for (const draft of rule.checkEndpoint?.(endpoint) ?? []) {
        finish(rule, rule.meta.protection ? judgeConfidence(draft, endpoint, rule.meta.protection) : draft, `${endpoint.method} ${endpoint.path}`, endpoint.framework);
      }
    }
  }
  for (const rule of rules) {
    for (const draft of rule.checkProject?.(project, endpoints) ?? []) finish(rule, draft, '');
  }
  return findings.sort(compareFindings);
}

/** Every owner directive starts with this; a file without it has none to parse. */
const DIRECTIVE_PREFIX = 'ai-endpoint-audit';

/** Scanned files' text as on disk, read once each, and split into lines once each. */
export class FileTexts {
  private readonly cache = new Map<string, string | undefined>();
  private readonly lineCache = new Map<string, string[] | undefined>();

  private readonly hashCache = new Map<string, string[] | undefined>();
  private readonly commentCache = new Map<string, CommentsByLine>();

  /** The comments on each line of a file that may hold an owner directive; none for any other file. */
  comments(file: string): CommentsByLine {
    let comments = this.commentCache.get(file);
    if (!comments) {
      const text = this.get(file);
      comments = text?.includes(DIRECTIVE_PREFIX) ? commentsByLine(file, text) : new Map();
      this.commentCache.set(file, comments);
    }
    return comments;
  }

  /** The file's lines (without line breaks); every finding and directive lookup asks for them. */
  lines(file: string): string[] | undefined {
    if (!this.lineCache.has(file)) this.lineCache.set(file, this.get(file)?.split(/\r?\n/));
    return this.lineCache.get(file);
  }

  /** GitHub's hash of a line, or '' for a file that cannot be read; a file's hashes are computed once. */
  lineHash(file: string, line: number): string {
    if (!this.hashCache.has(file)) {
      const text = this.get(file);
      this.hashCache.set(file, text === undefined ? undefined : lineHashes(text));
    }
    return (Number.isInteger(line) && line >= 1 ? this.hashCache.get(file)?.[line - 1] : undefined) ?? '';
  }

  /** `known`: a file's text as a UTF-8 read gives it, when already read (the index's), by absolute path. */
  constructor(
    private readonly root: string,
    private readonly known: (absolute: string) => string | undefined = () => undefined,
  ) {}

  get(file: string): string | undefined {
    if (!this.cache.has(file)) {
      const absolute = path.join(this.root, file);
      try {
        this.cache.set(file, this.known(absolute) ?? readFileSync(absolute, 'utf8'));
      } catch {
        this.cache.set(file, undefined);
      }
    }
    return this.cache.get(file);
  }
}
