/** `rules` lists every rule; `explain <rule-id>` prints one rule's documentation page. */
import type { Command } from 'commander';
import { RULES, ruleById } from '../../../rules/index.js';
import { suggestion } from '../../config/did-you-mean.js';
import { complain, EXIT, setExitStatus } from '../exit.js';
import { printOut } from '../../output/output.js';

export function rulesTable(): string {
  const idWidth = Math.max('RULE'.length, ...RULES.map((r) => r.meta.id.length));
  const severityWidth = Math.max('SEVERITY'.length, ...RULES.map((r) => r.meta.severity.length));
  const row = (id: string, severity: string, description: string) => `${id.padEnd(idWidth)}  ${severity.padEnd(severityWidth)}  ${description}`;
  return [row('RULE', 'SEVERITY', 'DESCRIPTION'), ...RULES.map((r) => row(r.meta.id, r.meta.severity, r.meta.shortDescription))].join('\n') + '\n';
}

export function registerRulesCommands(program: Command): void {
  program
    .command('rules')
    .description('list the rules with their default severity')
    .action(function (this: Command) {
      printOut(rulesTable());
      setExitStatus(this, EXIT.clean);
    });

  program
    .command('explain')
    .description("print a rule's documentation: what it checks, why it matters, how to fix it")
    .argument('<rule-id>', 'a rule id, e.g. no-auth')
    .action(function (this: Command, id: string) {
      const rule = ruleById(id);
      if (!rule) {
        const ids = RULES.map((r) => r.meta.id);
        complain(`unknown rule "${id}"${suggestion(id, ids)}; rules are: ${ids.join(', ')}`);
        setExitStatus(this, EXIT.error);
        return;
      }
      const text = rule.meta.helpMarkdown;
      printOut(text.endsWith('\n') ? text : `${text}\n`);
      setExitStatus(this, EXIT.clean);
    });
}
