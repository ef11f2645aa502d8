import { defineConfig } from 'vitest/config';
import { INTEGRATION_TESTS } from './vitest.config.js';

/** The process-spawning and store-backed tests (see INTEGRATION_TESTS); they run the built CLI, so build first. */
export default defineConfig({
  test: {
    include: INTEGRATION_TESTS,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
