declare const __APP_VERSION__: string;

/** The app's version, written in by the bundler; Vitest defines it too. */
export const APP_VERSION: string =
  typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
