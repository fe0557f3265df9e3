/**
 * The packaging check: electron-builder --dir against a stub electronDist (no Electron binary can
 * be downloaded here), then the asar listing: built bundles in, sources and tests out. It checks
 * the configuration, not a runnable build.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../support/clips';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-pack-'));
});
afterAll(() => cleanup());

it('packs the built bundles and nothing else into app.asar', async () => {
  const stub = path.join(dir, 'electron-dist');
  await mkdir(path.join(stub, 'resources'), { recursive: true });
  // electronLanguages prunes locales/, so the stub carries a few as Electron's dist does.
  await mkdir(path.join(stub, 'locales'), { recursive: true });
  for (const locale of ['en-US', 'zh-TW', 'de'])
    await writeFile(path.join(stub, 'locales', `${locale}.pak`), 'stub');
  await writeFile(path.join(stub, 'electron'), '#!/bin/sh\necho stub electron\n');
  await chmod(path.join(stub, 'electron'), 0o755);
  await writeFile(path.join(stub, 'version'), '45.5.0');
  await writeFile(path.join(stub, 'LICENSE'), 'stub');
  const output = path.join(dir, 'release');
  await run(
    process.execPath,
    [
      path.join(root, 'node_modules/electron-builder/cli.js'),
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${stub}`,
      '-c.electronVersion=45.5.0',
      `-c.directories.output=${output}`,
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ELECTRON_BUILDER_OFFLINE: 'true',
        CSC_IDENTITY_AUTO_DISCOVERY: 'false',
      },
      timeout: 120_000,
      maxBuffer: 32 * 1024 * 1024,
    },
  );

  const files = listPackage(path.join(output, 'linux-unpacked', 'resources', 'app.asar'), {
    isPack: false,
  }).map((entry) => entry.replaceAll('\\', '/'));
  for (const bundle of [
    '/dist/main/index.js',
    '/dist/preload/index.js',
    '/dist/renderer/index.html',
    '/dist/renderer/renderer.js',
    '/dist/renderer/styles.css',
    '/package.json',
  ])
    expect(files).toContain(bundle);
  expect(files.filter((file) => /\.(ts|tsx|map)$/u.test(file))).toEqual([]);
  expect(
    files.filter((file) => /^\/(test|app|main|renderer|node_modules|scripts|\.ci)\//u.test(file)),
  ).toEqual([]);
  expect(files.filter((file) => /\.(test|spec)\./u.test(file))).toEqual([]);
}, 180_000);
