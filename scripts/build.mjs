// Bundles every entry point with esbuild. Type checking is `tsc -b`'s job; the bundler only
// transpiles (architecture.md section 6).
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const production = process.env.NODE_ENV === 'production';
const { version } = JSON.parse(
  await import('node:fs').then((fs) => fs.readFileSync(path.join(root, 'package.json'), 'utf8')),
);

// zod re-exports all of its ~50 locales as `z.locales`, which no bundler can drop because `z` is
// used as a namespace. The app never switches zod's language (what a person reads comes from
// app/i18n), so `z.locales` holds English only: a quarter less of main's bundle to parse and
// keep in memory (quality-bars.md P7). zod's own default (English) is imported by its schemas.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/locales\/index\.c?js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? { path: 'zod-locales', namespace: 'zod-english-only' }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: root,
    }));
  },
};

const common = {
  absWorkingDir: root,
  plugins: [zodEnglishOnly],
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    __APP_VERSION__: JSON.stringify(version),
    // Updates feed (electron-updater generic provider); empty = updates off (main/desktop/updates.ts).
    __UPDATE_FEED_URL__: JSON.stringify(process.env.GAMECLIPS_UPDATE_URL ?? ''),
  },
};

await rm(dist, { recursive: true, force: true });
await Promise.all([
  // Electron main: CommonJS, electron provided by the runtime.
  build({
    ...common,
    entryPoints: ['main/index.ts'],
    outfile: 'dist/main/index.js',
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: ['electron'],
  }),
  // electron-updater in a bundle of its own, loaded by main only when the build has an update
  // feed (main/desktop/load-updater.ts): main's bundle does not carry it.
  build({
    ...common,
    entryPoints: ['main/desktop/updater-entry.ts'],
    outfile: 'dist/main/updater.js',
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: ['electron'],
  }),
  // Sandboxed preload: one file, CommonJS, only `electron` may be required.
  build({
    ...common,
    entryPoints: ['main/preload/index.ts'],
    outfile: 'dist/preload/index.js',
    platform: 'browser',
    target: 'chrome140',
    format: 'cjs',
    external: ['electron'],
  }),
  // The window.
  build({
    ...common,
    entryPoints: ['renderer/main.tsx'],
    outfile: 'dist/renderer/renderer.js',
    platform: 'browser',
    target: 'chrome140',
    format: 'iife',
    jsx: 'automatic',
    loader: { '.svg': 'file', '.png': 'file' },
  }),
  // Headless commands for plain Node.
  build({
    ...common,
    entryPoints: {
      'gameclips-companion': 'main/cli/gameclips-companion.ts',
      'gameclips-sandbox': 'main/cli/gameclips-sandbox.ts',
    },
    outdir: 'dist/cli',
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
await mkdir(path.join(dist, 'renderer'), { recursive: true });
await cp(path.join(root, 'renderer/index.html'), path.join(dist, 'renderer/index.html'));
await cp(path.join(root, 'renderer/styles.css'), path.join(dist, 'renderer/styles.css'));
console.log(`built dist/ (${production ? 'production' : 'development'})`);
