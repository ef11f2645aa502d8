import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that spawn processes (the built CLI, also through the ESLint preset and the README samples, the GitHub
 * Action's entry, the SARIF Multitool, npm pack) or need
 * the Redis and PostgreSQL servers `.ci/services.sh` starts: `npm run test:integration` (vitest.integration.config.ts).
 * Everything else under test/ is the fast inner loop, `npm test`.
 */
export const INTEGRATION_TESTS = [
  'test/action/action.test.ts',
  'test/cli/baseline.test.ts',
  'test/cli/changed-since.test.ts',
  'test/cli/closed-pipe.test.ts',
  'test/cli/cli.test.ts',
  'test/cli/concurrency.test.ts',
  'test/cli/confidence.test.ts',
  'test/cli/config-effect.test.ts',
  'test/cli/config.test.ts',
  'test/cli/conventions.test.ts',
  'test/cli/hostile-repo.test.ts',
  'test/cli/no-writes.test.ts',
  'test/cli/pack.test.ts',
  'test/cli/readme-samples.test.ts',
  'test/eslint/plugin.test.ts',
  'test/guard/generate.test.ts',
  'test/guard/next-build.test.ts',
  'test/guard/guard.e2e.test.ts',
  'test/guard/stores.test.ts',
  'test/report/sarif-validate.test.ts',
  'test/robustness/exit-codes.test.ts',
  'test/robustness/no-execution.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...INTEGRATION_TESTS],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
