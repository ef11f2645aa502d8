/**
 * Import rules for the project's own code, run by `npm run lint` (`depcruise`): the stages import downwards only,
 * no module imports itself back at run time, and shipped code never imports the CLI, the reports or the tests.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'stage-order',
      severity: 'error',
      comment:
        'The stages import downwards only: pipeline → plugins (frameworks, providers) and facts → reach → semantic → ' +
        'parse → discover → model. A stage never imports a later one.',
      from: { path: '^src/(discover|parse|semantic|frameworks|providers|reach|facts)/' },
      to: { path: '^src/(pipeline|findings|report|cli|action)/' },
    },
    {
      name: 'discover-below-parse',
      severity: 'error',
      comment: 'Discovery walks the file system; it knows nothing of parsing, plugins or analysis.',
      from: { path: '^src/discover/' },
      to: { path: '^src/(parse|semantic|frameworks|providers|reach|facts)/' },
    },
    {
      name: 'parse-below-semantic',
      severity: 'error',
      comment: 'Parsing reads and resolves files; the semantic core and the plugins build on it.',
      from: { path: '^src/parse/' },
      to: { path: '^src/(semantic|frameworks|providers|reach|facts)/' },
    },
    {
      name: 'semantic-below-plugins',
      severity: 'error',
      comment: 'The semantic core (ast, bindings, resolve) is what plugins may use; it never uses a plugin or a fact.',
      from: { path: '^src/semantic/' },
      to: { path: '^src/(frameworks|providers|reach|facts)/' },
    },
    {
      name: 'plugins-below-facts',
      severity: 'error',
      comment: 'Frameworks and providers declare what they know; they never use the reach or the fact builders.',
      from: { path: '^src/(frameworks|providers)/' },
      to: { path: '^src/(reach|facts)/' },
    },
    {
      name: 'reach-below-facts',
      severity: 'error',
      comment: 'The reach finds the paid calls; the facts are built on what it found.',
      from: { path: '^src/reach/' },
      to: { path: '^src/facts/' },
    },
    {
      name: 'rules-over-facts',
      severity: 'error',
      comment: 'Rules are policy over finished facts: they never import the stages that compute them.',
      from: { path: '^rules/' },
      to: { path: '^src/(discover|parse|semantic|frameworks|providers|reach|facts|pipeline)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other at run time (type-only imports are erased, they do not count).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-report-from-stages',
      severity: 'error',
      comment:
        'Reports format a finished scan: the rules and the stages that produce findings (discovery, parsing, ' +
        'plugins, facts, the rule runner) do not import from them.',
      from: { path: '^(rules|src/(discover|parse|semantic|frameworks|providers|reach|facts|findings|pipeline|pricing|config|guard))/' },
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
      comment: 'An import that resolves to nothing fails at run time (the build output bin/ runs is made by npm run build).',
      from: {},
      to: { couldNotResolve: true, pathNot: '^\\.\\./dist/' },
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
