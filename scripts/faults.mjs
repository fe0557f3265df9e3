#!/usr/bin/env node
// The fault suite with many rounds: kill -9 of the ledger writer and of the headless CLI around
// the reserve POST, and the sandbox fault scenarios. Prints the figures each run recorded and
// writes them to bench-results/faults.json. `npm test` runs the same tests with fewer rounds.
//
//   npm run faults                 # 300 ledger kills, 100 CLI kills
//   GC_CRASH_ROUNDS=20 npm run faults
//   GC_EVERYDAY_ROUNDS=10 npm run faults   # rounds of issue 13's everyday events
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const figuresFile = path.join(root, 'node_modules', '.cache', 'fault-figures.jsonl');
mkdirSync(path.dirname(figuresFile), { recursive: true });
rmSync(figuresFile, { force: true });

const files = [
  'test/main/ledger/file-clip-ledger.test.ts',
  'test/main/pipeline/reservation-service.test.ts',
  'test/integration/reservation-crash.test.ts',
  // Issue 13's everyday events: in-place rewrites, a deletion between list pages, refused
  // DELETEs, a lost ledger folder; counted on the service after each round.
  'test/integration/upload-everyday-faults.test.ts',
  ...process.argv.slice(2),
];
const result = spawnSync('npx', ['vitest', 'run', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    GC_FIGURES_FILE: figuresFile,
    GC_LEDGER_KILLS: process.env.GC_LEDGER_KILLS ?? '300',
    GC_CRASH_ROUNDS: process.env.GC_CRASH_ROUNDS ?? '100',
    GC_UPLOAD_CRASH_ROUNDS: process.env.GC_UPLOAD_CRASH_ROUNDS ?? '30',
    GC_EVERYDAY_ROUNDS: process.env.GC_EVERYDAY_ROUNDS ?? '5',
  },
});

let figures = [];
try {
  figures = readFileSync(figuresFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
} catch {
  figures = [];
}
console.log('\nfault figures');
for (const { name, ...values } of figures)
  console.log(
    `  ${name}: ${Object.entries(values)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
mkdirSync(path.join(root, 'bench-results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench-results', 'faults.json'),
  `${JSON.stringify({ at: new Date().toISOString(), figures }, null, 2)}\n`,
);
process.exit(result.status ?? 1);
