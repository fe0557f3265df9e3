import { defineConfig } from '@playwright/test';
import { playwrightConfig } from '../../playwright.config';

/** `npm run screenshots`: the README's screens, rendered through the e2e harness. */
export const screensConfig = defineConfig({
  ...playwrightConfig,
  testDir: '.',
  testMatch: 'screens.spec.ts',
  timeout: 240_000,
});

// Playwright reads the default export; the house rule against default exports yields to the tool here.
// eslint-disable-next-line no-restricted-syntax
export default screensConfig;
