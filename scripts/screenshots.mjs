// `npm run screenshots`: builds the app, then renders the window's main screens with real data
// (embedded sandbox, ffmpeg clips) through the e2e harness into assets/screenshots/*.png.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs']);
run(process.execPath, [
  path.join(root, 'node_modules/@playwright/test/cli.js'),
  'test',
  '--config',
  'test/screens/screens.config.ts',
]);
console.log('screenshots written to assets/screenshots/');
