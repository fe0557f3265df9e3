// `npm run bench`: bundles each test/bench/*.bench.ts with esbuild, runs its benchmarks, prints a
// table of medians and percentiles, and writes bench-results/<time>.json.
import { build } from 'esbuild';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const files = (await readdir(path.join(root, 'test/bench')))
  .filter((name) => name.endsWith('.bench.ts') && (!only || name.includes(only)))
  .sort();
// Bundled inside the project so the external packages resolve from its node_modules.
await mkdir(path.join(root, 'node_modules/.cache'), { recursive: true });
const out = await mkdtemp(path.join(root, 'node_modules/.cache/gc-bench-'));
const results = [];
try {
  for (const file of files) {
    const outfile = path.join(out, file.replace(/\.ts$/u, '.cjs'));
    await build({
      entryPoints: [path.join(root, 'test/bench', file)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      packages: 'external',
      logLevel: 'warning',
      define: { __APP_VERSION__: '"bench"' },
    });
    const { benchmarks } = await import(pathToFileURL(outfile).href);
    for (const benchmark of benchmarks) {
      process.stderr.write(`running ${benchmark.name}...\n`);
      for (const figure of await benchmark.run())
        results.push({ benchmark: benchmark.name, ...figure });
    }
  }
} finally {
  await rm(out, { recursive: true, force: true });
}

const fmt = (n) => (Number.isFinite(n) ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2)) : '-');
const rows = results.map((r) => [
  r.name,
  r.unit,
  String(r.samples),
  fmt(r.median),
  fmt(r.p95),
  fmt(r.min),
  fmt(r.max),
  r.ratio ? `${fmt(r.ratio.value)} x ${r.ratio.against}` : '',
  r.goal ? `${r.goal} ${r.meetsGoal === undefined ? '' : r.meetsGoal ? 'MET' : 'NOT MET'}` : '',
]);
const header = ['figure', 'unit', 'n', 'median', 'p95', 'min', 'max', 'ratio', 'goal'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
await mkdir(path.join(root, 'bench-results'), { recursive: true });
const file = path.join(
  root,
  'bench-results',
  `${new Date().toISOString().replace(/[:.]/gu, '-')}.json`,
);
await writeFile(
  file,
  `${JSON.stringify({ node: process.version, cpus: (await import('node:os')).cpus().length, results }, null, 2)}\n`,
);
console.log(`\nwritten ${path.relative(root, file)}`);
