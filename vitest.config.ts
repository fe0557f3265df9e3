import { defineConfig } from 'vitest/config';

export const vitestConfig = defineConfig({
  define: { __APP_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: process.env.GC_TEST_REPORT
      ? ['default', ['json', { outputFile: process.env.GC_TEST_REPORT }]]
      : ['default'],
  },
});

// Vitest reads the default export; the house rule against default exports yields to the tool here.
// eslint-disable-next-line no-restricted-syntax
export default vitestConfig;
