/**
 * electron-updater's autoUpdater, bundled on its own as dist/main/updater.js (scripts/build.mjs)
 * and loaded by main only when the build has an update feed (load-updater.ts). Its code (with
 * js-yaml, fs-extra, sax and the rest, about a sixth of main's bundle) then never has to be
 * parsed or held by a build without updates, nor before the first check (quality-bars.md P7).
 */
export { autoUpdater } from 'electron-updater';
