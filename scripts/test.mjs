// `npm test`: every check and every test, in the order that fails fastest, then one closing line
// "tests: N passed, N failed, N skipped" summed over Vitest and Playwright.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const reports = mkdtempSync(path.join(tmpdir(), 'gc-test-reports-'));
const unitReport = path.join(reports, 'vitest.json');
const e2eReport = path.join(reports, 'playwright.json');
const screensReport = path.join(reports, 'screens.json');
const steps = [
  ['typecheck', 'npx', ['tsc', '-b']],
  ['lint', 'npx', ['eslint', '--max-warnings', '0', '.']],
  ['electronegativity', 'node', ['scripts/electronegativity.mjs']],
  ['format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  // Supply chain (issue 14, item 6): every package from the npm registry over https, and install
  // scripts only from the reviewed allow-list.
  [
    'lockfile',
    'npx',
    [
      'lockfile-lint',
      '--path',
      'package-lock.json',
      '--type',
      'npm',
      '--allowed-hosts',
      'npm',
      '--validate-https',
    ],
  ],
  ['install scripts', 'node', ['scripts/check-install-scripts.mjs']],
  ['build', 'node', ['scripts/build.mjs']],
  ['unit + integration', 'npx', ['vitest', 'run'], { GC_TEST_REPORT: unitReport }],
  ['e2e', 'npx', ['playwright', 'test'], { GC_E2E_REPORT: e2eReport }],
  // `npm run screenshots` in its quick mode (light only, into a temporary folder): the README's
  // pictures come from a command that must keep working.
  [
    'screenshots (quick)',
    'npx',
    ['playwright', 'test', '--config', 'test/screens/screens.config.ts'],
    {
      GC_E2E_REPORT: screensReport,
      GC_SCREENS_QUICK: '1',
      GC_SCREENS_OUT: mkdtempSync(path.join(tmpdir(), 'gc-screens-')),
    },
  ],
];

let failedStep;
for (const [name, command, args, env] of steps) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    failedStep = name;
    console.error(`\n${name} failed (exit ${result.status ?? result.signal}).`);
    if (!['unit + integration', 'e2e', 'screenshots (quick)'].includes(name)) break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(unitReport)) {
  const unit = JSON.parse(readFileSync(unitReport, 'utf8'));
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
}
for (const report of [e2eReport, screensReport]) {
  if (!existsSync(report)) continue;
  const stats = JSON.parse(readFileSync(report, 'utf8')).stats;
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
}
if (failedStep && failed === 0) failed = 1;
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedStep ? 1 : 0);
