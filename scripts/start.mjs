// `npm start`: builds, then runs the app in Electron. Where no Electron binary exists and none
// can be downloaded (the project's own machines), it says so and opens the built app in a
// Chromium preview through the Electron stand-in instead: same main bundle, preload and window.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PREVIEW = `
import os from 'node:os';
import path from 'node:path';
import { defaultUserDataDir } from './main/core/paths';
import { launchBuiltApp } from './test/electron-stand-in/load-main';
const standIn = launchBuiltApp({ paths: { userData: defaultUserDataDir(), videos: path.join(os.homedir(), 'Videos') }, headless: !process.env.DISPLAY });
void standIn.firstWindow().then(() => console.log(process.env.DISPLAY ? 'The window is open. Close it or press Ctrl+C to quit.' : 'Running headless (no display): clips in ~/Videos are reserved. Press Ctrl+C to quit.'));
process.once('SIGINT', () => void standIn.quit().then(() => process.exit(0)));
`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args, options = {}) =>
  spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
if (run(process.execPath, ['scripts/build.mjs']).status !== 0) process.exit(1);

const electronDir = path.join(root, 'node_modules/electron');
const binary = () => {
  const pathFile = path.join(electronDir, 'path.txt');
  return existsSync(pathFile)
    ? path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
    : undefined;
};
if (!binary() || !existsSync(binary())) {
  console.log('Fetching the Electron binary (once)...');
  run(process.execPath, [path.join(electronDir, 'install.js')], { timeout: 180_000 });
}
const electron = binary();
if (electron && existsSync(electron)) {
  const child = spawn(electron, ['.'], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    '\nNo Electron binary could be downloaded here, so the app opens as a Chromium preview',
  );
  console.log('(the same main process, preload and window, run through the Electron stand-in).\n');
  const { build } = await import('esbuild');
  // Beside the stand-in, whose paths to dist/ are relative to its own folder.
  const outfile = path.join(root, 'test/electron-stand-in/.preview.cjs');
  await build({
    stdin: { contents: PREVIEW, resolveDir: root, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  await import(outfile);
}
