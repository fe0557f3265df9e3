/**
 * Runs the headless bins as a user would: bundled from source into a temporary folder, started
 * with this Node, their stdout read line by line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '../..');

/** Bundles `main/cli/<name>.ts` to `<outDir>/<name>.js` and returns that path. */
export async function bundleBin(
  name: 'gameclips-companion' | 'gameclips-sandbox',
  outDir: string,
): Promise<string> {
  const outfile = path.join(outDir, `${name}.js`);
  await build({
    entryPoints: [path.join(root, 'main/cli', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'silent',
    define: { __APP_VERSION__: '"0.0.0-test"' },
  });
  return outfile;
}

export interface RunningBin {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  readonly stderr: string[];
  /** Resolves with the first stdout line matching, waiting as long as the test allows. */
  waitForLine(match: (line: string) => boolean): Promise<string>;
  exited: Promise<number | null>;
}

export function startBin(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): RunningBin {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    lines,
    stderr,
    exited,
    waitForLine(match) {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then((code) =>
          reject(
            new Error(`exited with ${code} before the line came; stderr: ${stderr.join('\n')}`),
          ),
        );
      });
    },
  };
}

/** The JSON events printed so far. */
export function jsonEvents(bin: RunningBin): Array<Record<string, unknown> & { event: string }> {
  return bin.lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { event: string });
}
