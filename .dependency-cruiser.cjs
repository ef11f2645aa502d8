/**
 * Import rules for the project's own code, run by `npm run lint` (`depcruise`). Violations that predate a rule
 * are listed in .dependency-cruiser-known-violations.json (`npm run lint:deps:baseline` rewrites it): they are
 * reported as known and do not fail the check, any new one does.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other at run time (type-only imports are erased, they do not count).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-report-from-analysis-or-rules',
      severity: 'error',
      comment:
        'Reports format a finished scan: the rules and the stages that produce findings (discovery, parsing, ' +
        'plugins, facts, the rule runner) do not import from them.',
      from: { path: '^(rules|src/(engine|analysis|frameworks|providers|pricing|config|guard))/' },
      to: { path: '^src/report/' },
    },
    {
      name: 'no-cli-from-library',
      severity: 'error',
      comment:
        'The CLI uses the library, never the other way round. The GitHub Action (src/action) is a front end over ' +
        "the CLI's scan run, as the CLI is over the library.",
      from: { path: '^(rules|src)/', pathNot: '^src/(cli|action)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-tests-from-code',
      severity: 'error',
      comment: 'Shipped code never imports from test/.',
      from: { path: '^(rules|src|bin)/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing fails at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|fixtures|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
