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
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../support/clips';

const run = promisify(execFile);
/** Where @electron/fuses finds the fuse wire in an Electron binary. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const RUN_AS_NODE = 0x31;
/** A fuse's byte in the wire: ASCII '0' off, '1' on (@electron/fuses keeps FuseState internal). */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const;
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
  // The stub carries Electron's fuse wire (sentinel, version 1, 8 fuses at Electron 45's
  // defaults) so electron-builder's electronFuses step flips it as it would the real binary.
  const defaults = Buffer.from([RUN_AS_NODE, 0x30, 0x31, 0x31, 0x30, 0x30, 0x30, 0x31]);
  await writeFile(
    path.join(stub, 'electron'),
    Buffer.concat([
      Buffer.from(`#!/bin/sh\necho stub electron\nexit 0\n# ${FUSE_SENTINEL}`),
      Buffer.from([0x01, defaults.length]),
      defaults,
      Buffer.from('\n'),
    ]),
  );
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
  // Runtime icons are in; the source drawing and the installer-only formats are not.
  for (const state of ['idle', 'working', 'attention'])
    expect(files).toContain(`/assets/icons/tray/tray-${state}.png`);
  expect(files.filter((file) => /\.(svg|ico|icns)$/u.test(file))).toEqual([]);

  // The packaged binary's fuses (quality-bars.md S1), read back from the flipped wire.
  const wire = await getCurrentFuseWire(path.join(output, 'linux-unpacked', 'gameclips-companion'));
  expect({
    runAsNode: wire[FuseV1Options.RunAsNode],
    cookieEncryption: wire[FuseV1Options.EnableCookieEncryption],
    nodeOptions: wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
    inspectArguments: wire[FuseV1Options.EnableNodeCliInspectArguments],
    asarIntegrity: wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
    onlyAsar: wire[FuseV1Options.OnlyLoadAppFromAsar],
    fileProtocolPrivileges: wire[FuseV1Options.GrantFileProtocolExtraPrivileges],
  }).toEqual({
    runAsNode: FuseState.DISABLE,
    cookieEncryption: FuseState.ENABLE,
    nodeOptions: FuseState.DISABLE,
    inspectArguments: FuseState.DISABLE,
    asarIntegrity: FuseState.ENABLE,
    onlyAsar: FuseState.ENABLE,
    fileProtocolPrivileges: FuseState.DISABLE,
  });
}, 180_000);
