/**
 * How sure a finding about a missing protection is. The facts list what the analysis could not see into
 * before the paid call; a protection missing from the facts may sit inside one of those elements:
 *
 * - `high`: nothing unseen may provide the protection, the whole path was seen;
 * - `medium`: an unseen element may provide it, its name says nothing either way (`withMiddleware`);
 * - `low`: an unseen element's name says it provides it (`requireAuth` from a package the scanner does not know).
 */
import type { Confidence, Endpoint, FindingDraft, ProtectionKind, UnseenElement } from '../src/model.js';
import { leastProtected } from './least-protected.js';

const WHAT: Record<ProtectionKind, string> = { auth: 'authenticate the caller', rateLimit: 'rate-limit requests', spendCap: 'cap spending' };

/** The draft with its confidence, its reason, and the unseen elements in its message and related locations. */
export function judgeConfidence(draft: FindingDraft, endpoint: Endpoint, protection: ProtectionKind): FindingDraft {
  const unseen = leastProtected(endpoint.callFacts).unseen.filter((element) => element.mayProvide.includes(protection));
  if (unseen.length === 0) return { ...draft, confidence: 'high' };
  const confidence: Confidence = unseen.some((element) => element.named) ? 'low' : 'medium';
  const reason = `could not see into ${unseen.map(where).join(', ')}, which may ${WHAT[protection]}`;
  return {
    ...draft,
    message: `${draft.message} Unverified: the analysis ${reason}.`,
    related: [...unseen.map((element) => ({ location: element.location, description: `not seen into: ${element.description}` })), ...draft.related],
    confidence,
    confidenceReason: reason,
  };
}

function where(element: UnseenElement): string {
  return `${element.name} (${element.location.file}:${element.location.line})`;
}
