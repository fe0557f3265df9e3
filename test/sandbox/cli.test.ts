/**
 * The `gameclips-sandbox` command, run as a real process: bundled with esbuild (as the build
 * does), it prints exactly one ready line, serves, and stops cleanly on SIGINT and SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSandboxArgs } from '../../main/sandbox/cli';
import { tempDir } from '../support/clips';

let folder: { dir: string; cleanup: () => Promise<void> };
let bundle: string;

beforeAll(async () => {
  folder = await tempDir('gameclips-sandbox-cli-');
  bundle = path.join(folder.dir, 'gameclips-sandbox.cjs');
  await build({
    stdin: {
      contents: `import { runSandboxCli } from './main/sandbox/cli';
runSandboxCli(process.argv.slice(2)).catch((error) => {
  process.stderr.write('gameclips-sandbox: ' + error.message + '\\n');
  process.exitCode = 1;
});`,
      resolveDir: path.resolve(import.meta.dirname, '../..'),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile: bundle,
    logLevel: 'error',
  });
});
afterAll(() => folder.cleanup());

interface Run {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [bundle, ...args], { cwd: folder.dir });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

/** Resolves with the first stdout line (the readiness marker). */
async function firstLine(running: Run): Promise<string> {
  const stream = running.child.stdout!;
  while (!running.stdout().includes('\n')) {
    const exited = once(running.child, 'exit').then(() => {
      throw new Error(`exited before ready: ${running.stderr()}`);
    });
    await Promise.race([once(stream, 'data'), exited]);
  }
  return running.stdout().split('\n')[0]!;
}

describe('gameclips-sandbox', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'prints one ready line, serves, and stops cleanly on %s',
    async (signal) => {
      const data = path.join(folder.dir, `data-${signal}`);
      const running = run(['--port', '0', '--data', data]);
      const line = await firstLine(running);
      expect(line).toMatch(/^GameClips sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
      const baseUrl = line.slice('GameClips sandbox listening on '.length);
      const health = await fetch(`${baseUrl}/sandbox/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { dataDir: string }).dataDir).toBe(data);
      running.child.kill(signal);
      const [code] = (await once(running.child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(running.stdout()).toBe(`${line}\n`);
      // A clean stop releases the data folder.
      expect(await readdir(data)).not.toContain('sandbox.pid');
    },
  );

  it('uses ./gameclips-sandbox-data when --data is not given', async () => {
    const running = run([]);
    await firstLine(running);
    running.child.kill('SIGTERM');
    await once(running.child, 'exit');
    expect(await readdir(folder.dir)).toContain('gameclips-sandbox-data');
  });

  it('prints usage for --help and fails with a sentence on an unknown flag', async () => {
    const help = run(['--help']);
    const [helpCode] = (await once(help.child, 'exit')) as [number | null];
    expect(helpCode).toBe(0);
    expect(help.stdout()).toContain('Usage: gameclips-sandbox');
    const bad = run(['--bogus']);
    const [badCode] = (await once(bad.child, 'exit')) as [number | null];
    expect(badCode).toBe(1);
    expect(bad.stderr()).toMatch(/gameclips-sandbox: .*bogus/);
  });
});

describe('parseSandboxArgs', () => {
  it('maps every flag to an option', () => {
    const options = parseSandboxArgs([
      '--host',
      '0.0.0.0',
      '--port',
      '8080',
      '--data',
      '/tmp/x',
      '--strict',
      '--device-types',
      'XboxOne, Win32',
      '--state-delay-ms',
      '100',
      '--reservation-ttl-ms',
      '5000',
      '--rate-limit',
      '10,100',
      '--no-ffmpeg',
      '--public',
      '--admin-secret',
      'a-secret-of-16-chars',
      '--allow-unsigned-tokens',
      '--sink',
    ]);
    expect(options).toMatchObject({
      public: true,
      adminSecret: 'a-secret-of-16-chars',
      allowUnsignedTokens: true,
      sink: true,
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/tmp/x',
      strict: true,
      deviceTypeAllowList: ['XboxOne', 'Win32'],
      stateDelaysMs: { Uploaded: 100, Processing: 100, Processed: 100, Publishing: 100 },
      reservationTtlMs: 5000,
      rateLimit: { burst: 10, sustain: 100 },
      ffmpegPath: null,
    });
  });

  it('refuses values that are not numbers', () => {
    expect(() => parseSandboxArgs(['--port', 'eighty'])).toThrow(/--port/);
    expect(() => parseSandboxArgs(['--rate-limit', '10'])).toThrow(/--rate-limit/);
  });
});
