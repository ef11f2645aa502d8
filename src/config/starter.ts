/** The commented starter config that `ai-endpoint-audit init` writes. */
import type { RuleInfo } from './schema.js';
import { SCHEMA_ID } from './settings.js';

export function starterConfig(rules: readonly RuleInfo[]): string {
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const ruleLines = rules.map((r) => `  # ${`${r.id}:`.padEnd(idWidth + 1)} ${r.severity.padEnd(8)} # ${r.shortDescription}`);
  return `# yaml-language-server: $schema=${SCHEMA_ID}
#
# ai-endpoint-audit configuration. The scanner finds this file by walking up from the scanned folder
# to the repository root; --config <file> picks another one.

# Exit with status 1 when a finding is at or above this severity: critical, high, medium, low or none.
# The --fail-on flag wins over this setting.
failOn: high

# Turn a rule off, or change its severity (critical, high, medium, low). Uncomment a line to change it.
# \`ai-endpoint-audit explain <rule>\` prints what a rule checks and how to fix what it reports.
rules:
${ruleLines.join('\n')}

# Files and folders to leave out, as globs relative to this file (\`**/\` matches any depth).
ignore:
  - "**/*.test.*"
  - "**/*.spec.*"
  - "**/__tests__/**"
  - "**/__mocks__/**"

# Routes that are public on purpose (a marketing chatbot, a free demo), as URL path globs such as /api/public/**.
# A public route needs no sign-in, but it must still have an IP-keyed or global rate limit and a spend cap.
publicRoutes:
  # - /api/public/**

# Your own helpers, by name, so the scanner counts them like the built-in ones.
functions:
  # Functions or middleware that reject callers who are not signed in, e.g. requireTeamMember.
  auth: []
  # Rate limiters, e.g. throttleByIp.
  rateLimiters: []
  # Checks that refuse once a spend, credit or quota budget is used up, e.g. withQuota.
  spendCaps: []
  # Wrappers that call a paid model for their caller, e.g. callLLM.
  aiWrappers: []

# What the dollar exposure assumes an attacker holds. Uncomment to change.
# exposure:
#   attackerIps: 100       # client addresses: a per-IP limit allows this many times its rate (default 100)
#   attackerAccounts: 20   # accounts: a per-user limit allows this many times its rate (default unbounded: free sign-up)
`;
}
