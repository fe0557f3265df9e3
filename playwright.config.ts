import { defineConfig } from '@playwright/test';

/**
 * E2E of the built app: the main bundle runs in the worker with the Electron stand-in, and the
 * window is Debian's Chromium. Playwright never downloads a browser here.
 */
export const playwrightConfig = defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.GC_E2E_REPORT
    ? [['list'], ['json', { outputFile: process.env.GC_E2E_REPORT }]]
    : [['list']],
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});

// Playwright reads the default export; the house rule against default exports yields to the tool here.
// eslint-disable-next-line no-restricted-syntax
export default playwrightConfig;
