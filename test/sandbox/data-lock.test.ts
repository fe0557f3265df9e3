/**
 * The built-in service's lock on its data folder survives crashes correctly (issue 17 item 9):
 * after a real sandbox process is killed with SIGKILL and its pid is reused by another live
 * process, the next sandbox starts; a live sandbox still refuses a second one with its pid.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBin, startBin, type RunningBin } from '../support/cli-process';
import { tempDir } from '../support/clips';

let dir: string;
let cleanup: () => Promise<void>;
let sandboxBin: string;
const children: Array<{ kill: (signal: NodeJS.Signals) => unknown }> = [];
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-sandbox-lock-'));
  sandboxBin = await bundleBin('gameclips-sandbox', dir);
}, 60_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await cleanup();
});

function startSandboxBin(data: string): RunningBin {
  const bin = startBin(sandboxBin, ['--port', '0', '--data', data]);
  children.push(bin.child);
  return bin;
}

const listening = (bin: RunningBin) =>
  bin.waitForLine((line) => line.startsWith('GameClips sandbox listening'));

/** Every top-level file of `data` naming `pid` names `reused` instead (the pid was reused). */
async function reusePid(data: string, pid: number, reused: number): Promise<number> {
  let rewritten = 0;
  for (const name of await readdir(data)) {
    const file = path.join(data, name);
    if (!(await stat(file)).isFile()) continue;
    const text = await readFile(file, 'utf8');
    const next = text.replace(new RegExp(`\\b${pid}\\b`, 'gu'), String(reused));
    if (next !== text) {
      await writeFile(file, next);
      rewritten++;
    }
  }
  return rewritten;
}

describe('the sandbox data-folder lock', () => {
  it('is taken over after a crash whose pid another live process now uses', async () => {
    const data = path.join(dir, 'crashed');
    const crashed = startSandboxBin(data);
    await listening(crashed);
    crashed.child.kill('SIGKILL');
    await crashed.exited;

    // The pid now belongs to a live process that has nothing to do with the sandbox.
    const other = spawn('sleep', ['300'], { stdio: 'ignore' });
    children.push(other);
    expect(await reusePid(data, crashed.child.pid as number, other.pid as number)).toBeGreaterThan(
      0,
    );
    // The crash was a while ago: longer than any lock refresh interval.
    const past = new Date(Date.now() - 5 * 60_000);
    for (const name of await readdir(data)) await utimes(path.join(data, name), past, past);

    const next = startSandboxBin(data);
    expect(await listening(next)).toMatch(/listening on http/u);
    next.child.kill('SIGINT');
    expect(await next.exited).toBe(0);
  }, 60_000);

  it('is taken over at once when the crashed holder is certainly gone', async () => {
    const data = path.join(dir, 'gone');
    const crashed = startSandboxBin(data);
    await listening(crashed);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    const next = startSandboxBin(data);
    expect(await listening(next)).toMatch(/listening on http/u);
    next.child.kill('SIGINT');
    expect(await next.exited).toBe(0);
  }, 60_000);

  it('still refuses a second sandbox while the first runs, naming its pid', async () => {
    const data = path.join(dir, 'live');
    const first = startSandboxBin(data);
    await listening(first);
    const second = startSandboxBin(data);
    expect(await second.exited).not.toBe(0);
    expect(second.stderr.join('\n')).toContain(`in use by process ${first.child.pid}`);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
  }, 60_000);
});
