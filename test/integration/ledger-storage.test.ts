/**
 * Storage trouble is a state, not a crash, and damage costs no duplicate (issue 13 items 5, 6),
 * with the real CLI, a standalone sandbox, real clips and real file systems: a small tmpfs filled
 * to ENOSPC under the ledger and under the upload journal, a read-only remount (EROFS), the ledger
 * folder deleted while running, and damaged records of each kind.
 *
 * The tmpfs cases need root and mount(8); where mounting is impossible they skip, saying so.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBin, jsonEvents, startBin, type RunningBin } from '../support/cli-process';
import { makeClip, tempDir } from '../support/clips';
import { taggedCopy } from '../main/intake/media-files';
import { startStandaloneSandbox } from '../support/standalone-sandbox';

let dir: string;
let cleanup: () => Promise<void>;
let companionBin: string;
let sandboxBin: string;
let source: Buffer;
const running: RunningBin[] = [];
const mounts: string[] = [];
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-ledger-storage-'));
  let clip: string;
  [companionBin, sandboxBin, clip] = await Promise.all([
    bundleBin('gameclips-companion', dir),
    bundleBin('gameclips-sandbox', dir),
    makeClip(path.join(dir, 'source.mp4'), { seconds: 2, bitrate: '2M', faststart: true }),
  ]);
  source = await readFile(clip);
}, 60_000);
afterAll(async () => {
  for (const bin of running) bin.child.kill('SIGKILL');
  for (const mount of mounts.reverse()) {
    try {
      execFileSync('umount', ['-l', mount]);
    } catch {
      // Already unmounted.
    }
  }
  await cleanup();
});

/** Whether this machine lets the test mount a tmpfs (root, mount(8), no seccomp refusal). */
const canMount = (() => {
  const probe = path.join(process.env.TMPDIR ?? '/tmp', `gc-mount-probe-${process.pid}`);
  try {
    mkdirSync(probe, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    try {
      rmdirSync(probe);
    } catch {
      // Left for the OS to clean.
    }
  }
})();
const SKIP_REASON = 'mounting a tmpfs needs root and mount(8), which this machine does not allow';

function mountTmpfs(target: string, size: string): void {
  mkdirSync(target, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', target]);
  mounts.push(target);
}

/** Fills the file system holding `folder` until it says ENOSPC; answers the filler's path. */
async function fill(folder: string): Promise<string> {
  const filler = path.join(folder, 'filler.bin');
  await writeFile(filler, Buffer.alloc(64 * 1024 * 1024)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOSPC') throw error;
  });
  return filler;
}

function startWatch(args: readonly string[], env: NodeJS.ProcessEnv): RunningBin {
  const bin = startBin(companionBin, ['watch', ...args, '--json'], env);
  running.push(bin);
  return bin;
}

const count = (bin: RunningBin, event: string) =>
  jsonEvents(bin).filter((e) => e.event === event).length;

describe('storage errors are states, not crashes', () => {
  it.skipIf(!canMount)(
    'a full disk under the ledger pauses intake with its reason, then reserves and publishes once when space is back',
    async () => {
      const service = await startStandaloneSandbox(sandboxBin, path.join(dir, 'sbx-full-ledger'));
      running.push(service.process);
      const data = path.join(dir, 'full-ledger-data');
      const watched = path.join(dir, 'full-ledger-watched');
      await mkdir(watched, { recursive: true });
      mountTmpfs(path.join(data, 'ledger'), '1m');
      const watch = startWatch([watched, '--upload', '--data', data, ...service.args], service.env);
      await watch.waitForLine((line) => line.includes('"event":"ready"'));
      const filler = await fill(path.join(data, 'ledger'));

      await taggedCopy(source, path.join(watched, 'during-full.mp4'), 'during full');
      const paused = JSON.parse(
        await watch.waitForLine((line) => line.includes('"storage.paused"')),
      ) as { code: string; message: string; area: string };
      expect(paused).toMatchObject({ code: 'storage/disk-full', area: 'ledger' });
      expect(paused.message).toMatch(/^The disk holding the app's data is full\./u);
      // Paused, not crashed: no reservation was made without its intent on disk.
      expect(watch.child.exitCode).toBeNull();
      expect(await service.list()).toHaveLength(0);

      await rm(filler);
      await watch.waitForLine((line) => line.includes('"storage.resumed"'));
      await watch.waitForLine((line) => line.includes('"clip.published"'));
      watch.child.kill('SIGINT');
      expect(await watch.exited).toBe(0);
      const clips = await service.list();
      expect(clips.map((clip) => clip.state)).toEqual(['Published']);
    },
    120_000,
  );

  it.skipIf(!canMount)(
    'a full disk under the upload journal pauses the upload (record stays uploading) and it resumes by itself',
    async () => {
      const service = await startStandaloneSandbox(sandboxBin, path.join(dir, 'sbx-full-journal'));
      running.push(service.process);
      const data = path.join(dir, 'full-journal-data');
      const watched = path.join(dir, 'full-journal-watched');
      await mkdir(watched, { recursive: true });
      mountTmpfs(path.join(data, 'upload-journal'), '1m');
      const filler = await fill(path.join(data, 'upload-journal'));
      const watch = startWatch([watched, '--upload', '--data', data, ...service.args], service.env);
      await watch.waitForLine((line) => line.includes('"event":"ready"'));
      await taggedCopy(source, path.join(watched, 'journal-full.mp4'), 'journal full');

      const paused = JSON.parse(
        await watch.waitForLine((line) => line.includes('"storage.paused"')),
      ) as { code: string; area: string };
      expect(paused).toMatchObject({ code: 'storage/disk-full', area: 'journal' });
      const [record] = await readLedger(data);
      expect(record?.state).toBe('uploading');
      expect(watch.child.exitCode).toBeNull();

      await rm(filler);
      await watch.waitForLine((line) => line.includes('"storage.resumed"'));
      await watch.waitForLine((line) => line.includes('"clip.published"'));
      watch.child.kill('SIGINT');
      expect(await watch.exited).toBe(0);
      expect((await service.list()).map((clip) => clip.state)).toEqual(['Published']);
    },
    120_000,
  );

  it.skipIf(!canMount)(
    'a read-only ledger (EROFS) pauses with its reason and resumes when it is writable again',
    async () => {
      const service = await startStandaloneSandbox(sandboxBin, path.join(dir, 'sbx-rofs'));
      running.push(service.process);
      const data = path.join(dir, 'rofs-data');
      const watched = path.join(dir, 'rofs-watched');
      await mkdir(watched, { recursive: true });
      const ledger = path.join(data, 'ledger');
      mountTmpfs(ledger, '4m');
      const watch = startWatch([watched, '--data', data, ...service.args], service.env);
      await watch.waitForLine((line) => line.includes('"event":"ready"'));
      execFileSync('mount', ['-o', 'remount,ro', ledger]);

      await taggedCopy(source, path.join(watched, 'read-only.mp4'), 'read only');
      const paused = JSON.parse(
        await watch.waitForLine((line) => line.includes('"storage.paused"')),
      ) as { code: string; message: string };
      expect(paused.code).toBe('storage/read-only');
      expect(paused.message).toMatch(/read-only/u);
      expect(watch.child.exitCode).toBeNull();

      execFileSync('mount', ['-o', 'remount,rw', ledger]);
      await watch.waitForLine((line) => line.includes('"storage.resumed"'));
      await watch.waitForLine((line) => line.includes('"clip.reserved"'));
      watch.child.kill('SIGINT');
      expect(await watch.exited).toBe(0);
      expect(await service.list()).toHaveLength(1);
    },
    120_000,
  );

  if (!canMount) it.skip(`tmpfs cases skipped: ${SKIP_REASON}`, () => undefined);

  it('the ledger folder deleted while running is written again: a restart reserves nothing twice', async () => {
    const service = await startStandaloneSandbox(sandboxBin, path.join(dir, 'sbx-deleted'));
    running.push(service.process);
    const data = path.join(dir, 'deleted-data');
    const watched = path.join(dir, 'deleted-watched');
    await mkdir(watched, { recursive: true });
    for (let i = 0; i < 3; i++)
      await taggedCopy(source, path.join(watched, `kept-${i}.mp4`), `kept ${i}`);
    const first = startWatch([watched, '--data', data, ...service.args], service.env);
    await expect
      .poll(() => count(first, 'clip.reserved'), { timeout: 60_000, interval: 200 })
      .toBe(3);
    await rm(path.join(data, 'ledger'), { recursive: true, force: true });
    await rm(path.join(data, 'ledger-intents.jsonl'), { force: true });
    // Written again from memory by the running process, every record.
    await expect
      .poll(async () => (await readLedger(data)).length, { timeout: 30_000, interval: 200 })
      .toBe(3);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = startWatch([watched, '--data', data, ...service.args], service.env);
    await second.waitForLine((line) => line.includes('"event":"ready"'));
    await taggedCopy(source, path.join(watched, 'new-after-restart.mp4'), 'new');
    await second.waitForLine(
      (line) => line.includes('"clip.reserved"') && line.includes('new-after-restart'),
    );
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(count(second, 'clip.reserved')).toBe(1);
    expect(await service.list()).toHaveLength(4);
  }, 120_000);
});

async function readLedger(data: string): Promise<Array<{ id: string; state: string }>> {
  const folder = path.join(data, 'ledger');
  const names = await readdir(folder).catch(() => [] as string[]);
  const records: Array<{ id: string; state: string }> = [];
  for (const name of names.filter((n) => /^[0-9a-f-]{36}\.json$/u.test(n))) {
    try {
      records.push(JSON.parse(await readFile(path.join(folder, name), 'utf8')) as never);
    } catch {
      // Being written.
    }
  }
  return records;
}

describe('damaged records are rebuilt, not reserved again', () => {
  const damages: Array<[string, (bytes: string) => string]> = [
    ['truncated', (text) => text.slice(0, Math.floor(text.length / 2))],
    ['garbage', () => '\u0000\u00ff{not json at all'.repeat(20)],
    ['zero bytes', () => ''],
  ];
  it.each(damages)(
    'a %s record: set aside, reported, rebuilt; register answers the same clip and the service holds one',
    async (kind, damage) => {
      const slug = kind.replace(/\W/gu, '-');
      const service = await startStandaloneSandbox(sandboxBin, path.join(dir, `sbx-${slug}`));
      running.push(service.process);
      const data = path.join(dir, `damaged-${slug}-data`);
      const file = path.join(dir, `damaged-${slug}.mp4`);
      await taggedCopy(source, file, `damaged ${kind}`);
      const register = () => {
        const bin = startBin(
          companionBin,
          ['register', file, '--json', '--data', data, ...service.args],
          service.env,
        );
        running.push(bin);
        return bin;
      };
      const first = register();
      expect(await first.exited, first.stderr.join('\n')).toBe(0);
      const [before] = jsonEvents(first).filter((e) => e.event === 'register.result');
      const recordFile = path.join(data, 'ledger', `${String(before?.clipId)}.json`);
      await writeFile(recordFile, damage(await readFile(recordFile, 'utf8')));

      const second = register();
      expect(await second.exited, second.stderr.join('\n')).toBe(0);
      const recovered = jsonEvents(second).find((e) => e.event === 'ledger.recovered');
      expect(recovered).toMatchObject({ damaged: 1, rebuilt: 1, unrecoverable: 0 });
      expect(await readdir(path.join(data, 'ledger', 'damaged'))).toHaveLength(1);
      const [after] = jsonEvents(second).filter((e) => e.event === 'register.result');
      expect(after).toMatchObject({
        outcome: 'reserved',
        clipId: before?.clipId,
        gameClipId: before?.gameClipId,
      });
      expect(await service.list()).toHaveLength(1);
    },
    90_000,
  );
});

describe('a damaged record the journal cannot rebuild', () => {
  it('is reconciled with the service by its correlation id: one live reservation for the file', async () => {
    const service = await startStandaloneSandbox(sandboxBin, path.join(dir, 'sbx-lost'));
    running.push(service.process);
    const data = path.join(dir, 'lost-data');
    const file = path.join(dir, 'lost.mp4');
    await taggedCopy(source, file, 'lost');
    const register = () => {
      const bin = startBin(
        companionBin,
        ['register', file, '--json', '--data', data, ...service.args],
        service.env,
      );
      running.push(bin);
      return bin;
    };
    const first = register();
    expect(await first.exited, first.stderr.join('\n')).toBe(0);
    const [before] = jsonEvents(first).filter((e) => e.event === 'register.result');
    await writeFile(path.join(data, 'ledger', `${String(before?.clipId)}.json`), '{"schemaV');
    await rm(path.join(data, 'ledger-intents.jsonl'));

    const second = register();
    expect(await second.exited, second.stderr.join('\n')).toBe(0);
    expect(jsonEvents(second).find((e) => e.event === 'ledger.recovered')).toMatchObject({
      damaged: 1,
      rebuilt: 0,
      unrecoverable: 1,
    });
    const clips = await service.list();
    expect(clips).toHaveLength(1);
    const [after] = jsonEvents(second).filter((e) => e.event === 'register.result');
    expect(clips[0]?.gameClipId).toBe(after?.gameClipId);
  }, 90_000);
});
