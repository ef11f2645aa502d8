/** Spend-cap facts: a check of credits, quota, spend or budget against a ceiling that refuses before the call. */
import type { SpendCapFact } from '../model.js';
import { locationOf } from './ast.js';
import { isSpendGuard } from './guards.js';
import type { ProtectionScope } from './scope.js';

export function spendCapFacts(scope: ProtectionScope): SpendCapFact[] {
  return scope.guards.filter(isSpendGuard).map((guard) => ({
    description: `${guard.refusal === 'throw' ? 'throws' : `refuses${guard.statuses.length ? ` with ${guard.statuses.join('/')}` : ''}`} when the spend or credit ceiling is reached`,
    location: locationOf(scope.project, guard.node),
  }));
}
