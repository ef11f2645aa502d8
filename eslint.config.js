// ESLint for the project's own code: the scanner, its rules, tests, bin and scripts. Fixtures are sample
// projects written to be scanned (many are vulnerable on purpose), and bench/ generates code: neither is linted.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // action/dist is the action's generated bundle (npm run build:action).
  { ignores: ['dist/', 'action/dist/', 'node_modules/', 'fixtures/', 'bench/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // The reporters and their tests match control characters on purpose: they strip what a terminal or a CI
      // runner would interpret from text taken from scanned code.
      'no-control-regex': 'off',
      // Walking a parent chain starts from `this` (`for (let c = this; c; c = c.parent)`), which is not the
      // `const self = this` the rule is after.
      '@typescript-eslint/no-this-alias': 'off',
      // A fact type that extends Evidence with nothing yet (SpendCapFact) is a named seam in the public model.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    // CommonJS on purpose: the compiler API's loader and its declaration.
    files: ['**/*.cjs', '**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
