/**
 * Stage 8, rules: pure policy over facts, one module per rule with its metadata and documentation page.
 * Rule ids are a public contract.
 */
import type { Rule } from '../src/model.js';
import { clientControlledParams } from './client-controlled-params.js';
import { clientKeyedRateLimit } from './client-keyed-rate-limit.js';
import { exposedApiKey } from './exposed-api-key.js';
import { noOutputCap } from './no-output-cap.js';
import { noUsageTracking } from './no-usage-tracking.js';
import { spendCapFailsOpen } from './spend-cap-fails-open.js';
import { noAuth } from './no-auth.js';
import { noRateLimit } from './no-rate-limit.js';
import { noSpendCap } from './no-spend-cap.js';
import { unboundedInput } from './unbounded-input.js';

export const RULES: readonly Rule[] = [
  noAuth,
  noRateLimit,
  clientKeyedRateLimit,
  noSpendCap,
  unboundedInput,
  spendCapFailsOpen,
  clientControlledParams,
  noOutputCap,
  exposedApiKey,
  noUsageTracking,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
