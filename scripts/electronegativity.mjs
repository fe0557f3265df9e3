// Electronegativity over the app's sources (quality-bars.md S4): fails on any HIGH or MEDIUM
// finding not listed, with its reason, in .electronegativity-accepted.json. Runs offline: the
// one check that asks the network for Electron's release list is left out, and the Electron
// version is the one package.json pins.
//
//   node scripts/electronegativity.mjs           the check, as `npm test` runs it
//   node scripts/electronegativity.mjs --all     also prints LOW and INFORMATIONAL findings
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// Its translations loader fetches a locale file from GitHub at every run, and the fetch's retry
// timer crashes the process when offline. The bundled English strings are all it needs: hand its
// HTTP client a stand-in that answers "offline" at once, so the check never touches the network.
const fromI18n = createRequire(require.resolve('@doyensec/electronegativity/dist/locales/i18n.js'));
const gotPath = fromI18n.resolve('got');
require.cache[gotPath] = {
  id: gotPath,
  filename: gotPath,
  loaded: true,
  exports: { __esModule: true, default: () => Promise.reject(new Error('offline by design')) },
};
const run = require('@doyensec/electronegativity');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const electronVersion = pkg.devDependencies.electron.replace(/^[^\d]*/u, '');
const accepted = JSON.parse(
  await readFile(path.join(root, '.electronegativity-accepted.json'), 'utf8'),
);
const showAll = process.argv.includes('--all');

// The shipped code only: main (with preload), renderer (with index.html), app, package.json.
// Tests and scripts run outside Electron and are not part of the app.
const stage = await mkdtemp(path.join(tmpdir(), 'gc-electronegativity-'));
try {
  for (const entry of ['main', 'renderer', 'app', 'package.json'])
    await cp(path.join(root, entry), path.join(stage, entry), { recursive: true });
  const result = await run({
    input: stage,
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    customScan: [],
    parserPlugins: [],
  });
  const hard = result.errors.filter((error) => !error.tolerable);
  for (const error of hard) console.error(`could not parse ${error.file}: ${error.message}`);

  const key = (issue) => `${issue.id} ${issue.file.replaceAll('\\', '/')}`;
  const serious = result.issues.filter((issue) => ['HIGH', 'MEDIUM'].includes(issue.severity.name));
  const unaccepted = serious.filter(
    (issue) =>
      !accepted.findings.some(
        (entry) => `${entry.check} ${entry.file}` === key(issue) && entry.reason?.length > 20,
      ),
  );
  const stale = accepted.findings.filter(
    (entry) => !serious.some((issue) => key(issue) === `${entry.check} ${entry.file}`),
  );
  const describe = (issue) =>
    `  ${issue.severity.name.padEnd(13)} ${issue.id} ${issue.file}:${issue.location.line} (${issue.confidence.name})`;
  console.log(
    `electronegativity ${electronVersion}: ${result.atomicChecks} checks, ${result.issues.length} findings, ` +
      `${serious.length} HIGH/MEDIUM, ${serious.length - unaccepted.length} accepted with a reason`,
  );
  if (showAll) for (const issue of result.issues) console.log(describe(issue));
  if (unaccepted.length > 0) {
    console.error('HIGH or MEDIUM findings with no accepted reason:');
    for (const issue of unaccepted) console.error(describe(issue));
  }
  for (const entry of stale)
    console.error(`accepted finding no longer reported: ${entry.check} ${entry.file}`);
  process.exitCode = unaccepted.length > 0 || stale.length > 0 || hard.length > 0 ? 1 : 0;
} finally {
  await rm(stage, { recursive: true, force: true });
}
