// `npm start`: builds, then runs the app in Electron. Where no Electron binary exists and none
// can be downloaded (the project's own machines), it says so and opens the built app in a
// Chromium preview through the Electron stand-in instead: same main bundle, preload and window.
//
// The download is tried once, for at most 15 s; a failure is remembered (node_modules/.cache), so
// later starts go straight to the preview. `npm start -- --retry-electron` tries the download again.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DOWNLOAD_TIMEOUT_MS = 15_000;
const PREVIEW_NOTE =
  'Preview: closing this window hides the app to the tray, as the installed app does. Press Ctrl+C in the terminal to quit.';

const PREVIEW = `
import os from 'node:os';
import path from 'node:path';
import { defaultUserDataDir } from './main/util/paths';
import { launchBuiltApp } from './test/electron-stand-in/load-main';
const note = ${JSON.stringify(PREVIEW_NOTE)};
const standIn = launchBuiltApp({ paths: { userData: defaultUserDataDir(), videos: path.join(os.homedir(), 'Videos') }, headless: !process.env.DISPLAY });
void standIn.firstWindow().then(async (page) => {
  // The preview's own bar (the browser window's title) says what closing does and how to quit.
  const title = 'GameClips Companion (' + note + ')';
  try {
    await page.addInitScript((text) => { document.addEventListener('DOMContentLoaded', () => { document.title = text; }); }, title);
    await page.evaluate((text) => { document.title = text; }, title);
  } catch {
    return; // the window closed while starting (Ctrl+C): nothing left to label
  }
  console.log(process.env.DISPLAY ? 'The window is open. ' + note : 'Running headless (no display): clips in ~/Videos are reserved. Press Ctrl+C to quit.');
});
process.once('SIGINT', () => void standIn.quit().then(() => process.exit(0)));
`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const retryElectron = process.argv.includes('--retry-electron');
const run = (command, args, options = {}) =>
  spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
if (run(process.execPath, ['scripts/build.mjs']).status !== 0) process.exit(1);

const electronDir = path.join(root, 'node_modules/electron');
const failureMarker = path.join(root, 'node_modules/.cache/gc-electron-download-failed.json');
const binary = () => {
  const pathFile = path.join(electronDir, 'path.txt');
  return existsSync(pathFile)
    ? path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
    : undefined;
};
const hasBinary = () => {
  const file = binary();
  return file !== undefined && existsSync(file);
};

/** One line saying why the download failed: never the installer's stack trace. */
function reasonOf(result) {
  if (result.error?.code === 'ETIMEDOUT') return `no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s`;
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
  const line = output
    .split('\n')
    .map((text) => text.trim())
    .find((text) => /error|fail|ENOTFOUND|ECONNREFUSED|EAI_AGAIN/iu.test(text));
  return (line ?? `the installer exited with ${result.status ?? result.signal}`)
    .replace(/^\w*Error:\s*/u, '')
    .slice(0, 200);
}

if (!hasBinary()) {
  const remembered = existsSync(failureMarker)
    ? JSON.parse(readFileSync(failureMarker, 'utf8'))
    : undefined;
  if (remembered && !retryElectron) {
    console.log(
      `No Electron binary here: its download failed on ${remembered.at} (${remembered.reason}).` +
        '\nTo try the download again: npm start -- --retry-electron',
    );
  } else {
    console.log(`Fetching the Electron binary (at most ${DOWNLOAD_TIMEOUT_MS / 1000} s)...`);
    const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
      cwd: root,
      encoding: 'utf8',
      timeout: DOWNLOAD_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    if (hasBinary()) {
      rmSync(failureMarker, { force: true });
    } else {
      const reason = reasonOf(result);
      console.log(`The Electron download failed: ${reason}.`);
      mkdirSync(path.dirname(failureMarker), { recursive: true });
      writeFileSync(
        failureMarker,
        JSON.stringify({ at: new Date().toISOString().slice(0, 16).replace('T', ' '), reason }),
      );
    }
  }
}
if (hasBinary()) {
  const child = spawn(binary(), ['.'], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('\nThe app opens as a Chromium preview instead');
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
