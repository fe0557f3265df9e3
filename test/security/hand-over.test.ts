/**
 * Issue 14, item 4, on the intake side: what the window hands in (a drop, main's dialog, "open
 * with") is decided before anything about it is stored. A non-video (the system's password file,
 * a key behind a link named like a clip) is answered as refused and leaves no record; a folder
 * expands to at most 10,000 entries, so a dropped `/` stops at the cap with its message; and no
 * reason ever carries the file's bytes.
 */
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakePort } from '../../main/intake/intake-port';
import { expandHandedPaths, MAX_HANDED_ENTRIES } from '../../main/intake/hand-over';
import { startRecordingCompanion, type RecordingCompanion } from '../support/companion';
import { makeClip } from '../main/intake/media-files';
import { tempDir } from '../support/clips';
import { recordFigure } from '../support/figures';

let dir: string;
let cleanup: () => Promise<void>;
let test: RecordingCompanion;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-hand-over-'));
  test = await startRecordingCompanion(path.join(dir, 'data'), []);
}, 60_000);
afterAll(async () => {
  await test.companion.stop();
  await cleanup();
});

const noErrors = () => undefined;

describe('files handed in from the window', () => {
  it('answers a non-video as refused and stores nothing about it (the password file, a key behind evil.mp4)', async () => {
    const port = createIntakePort(() => Promise.resolve(test.companion.intake));
    const key = path.join(dir, 'id_ed25519');
    await writeFile(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n');
    const evil = path.join(dir, 'evil.mp4');
    await symlink(key, evil);
    // A copy stands in where /etc/passwd is missing; the real one is used where it exists.
    const passwd = existsSync('/etc/passwd') ? '/etc/passwd' : path.join(dir, 'passwd');
    if (passwd !== '/etc/passwd') await writeFile(passwd, 'root:x:0:0:root:/root:/bin/bash\n');
    const before = test.companion.ledger.all().length;
    const rejectedBefore = test.events.rejected.length;

    const answer = await port.registerFiles([passwd, evil]);

    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.value).toHaveLength(2);
    for (const outcome of answer.value) {
      expect(outcome.outcome).toBe('rejected');
      expect(outcome.error?.code).toBe('intake/not-a-video');
      expect(outcome.clipId).toBeUndefined();
    }
    expect(test.companion.ledger.all()).toHaveLength(before);
    expect(test.events.rejected).toHaveLength(rejectedBefore);
    const paths = test.companion.ledger.all().map((record) => record.file.path);
    expect(paths).not.toContain(passwd);
    expect(paths).not.toContain(key);
  });

  it('refuses a relative path before looking at the disk', async () => {
    const port = createIntakePort(() => Promise.resolve(test.companion.intake));
    const answer = await port.registerFiles(['etc/passwd']);
    expect(answer).toMatchObject({ ok: true, value: [{ outcome: 'ignored' }] });
  });

  it('still takes a real clip handed in, and stores it', async () => {
    const port = createIntakePort(() => Promise.resolve(test.companion.intake));
    const clip = await makeClip(path.join(dir, 'real.mp4'), { seconds: 1 });
    const answer = await port.registerFiles([clip]);
    expect(answer).toMatchObject({ ok: true, value: [{ outcome: 'accepted' }] });
    expect(test.companion.ledger.all().map((record) => record.file.path)).toContain(clip);
  }, 60_000);

  it('never echoes the file bytes in a reason', async () => {
    const port = createIntakePort(() => Promise.resolve(test.companion.intake));
    // Bytes 4..8 are where the old reason quoted "the first box" from.
    const file = path.join(dir, 'secret.mov');
    await writeFile(file, Buffer.from('\0\0\0\x20hunter2-api-key-0123456789abcdef'));
    const answer = await port.registerFiles([file]);
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const said = JSON.stringify(answer.value);
    expect(answer.value[0]?.outcome).toBe('rejected');
    expect(said).not.toMatch(/hunt|er2|api-key/u);
  });
});

describe('a dropped folder is expanded with a bound', () => {
  it(`a dropped / stops after ${MAX_HANDED_ENTRIES.toLocaleString('en')} entries, with the message`, async () => {
    const started = performance.now();
    // A whole disk has folders nobody may list (a process that just exited under /proc, a mount
    // another test left read-only): each is skipped, as intake skips it, and the walk goes on.
    const unreadable: string[] = [];
    const items = await expandHandedPaths(['/'], {
      requireAbsolute: true,
      depth: 8,
      onListError: (folder) => unreadable.push(folder),
    });
    const took = performance.now() - started;
    const last = items.at(-1);
    expect(last).toMatchObject({
      decision: { kind: 'refused', path: '/', error: { code: 'intake/too-many-files' } },
    });
    expect(items.length).toBeLessThanOrEqual(MAX_HANDED_ENTRIES + 1);
    // A figure for the report, not a timed assertion.
    recordFigure('expanding a dropped / stopped at the cap', { ms: Math.round(took) });
  }, 60_000);

  it('stops at the cap inside a folder of clips and says so, after the candidates before it', async () => {
    const folder = path.join(dir, 'many');
    await mkdir(path.join(folder, 'sub'), { recursive: true });
    const source = await readFile(await makeClip(path.join(dir, 'seed.mp4'), { seconds: 1 }));
    for (let i = 0; i < 30; i += 1)
      await writeFile(path.join(folder, i < 15 ? '' : 'sub', `clip-${i}.mp4`), source);
    await copyFile(path.join(dir, 'seed.mp4'), path.join(folder, 'zz.mkv'));
    const items = await expandHandedPaths([folder], {
      requireAbsolute: true,
      depth: 8,
      maxEntries: 20,
      onListError: noErrors,
    });
    const decided = items.filter((item) => 'decide' in item);
    expect(decided.length).toBeGreaterThan(0);
    expect(decided.length).toBeLessThan(20);
    expect(items.at(-1)).toMatchObject({
      decision: { kind: 'refused', error: { code: 'intake/too-many-files' } },
    });
    const all = await expandHandedPaths([folder], {
      requireAbsolute: true,
      depth: 8,
      onListError: noErrors,
    });
    expect(all.filter((item) => 'decide' in item)).toHaveLength(31);
    expect(all.some((item) => 'decision' in item)).toBe(false);
  }, 60_000);
});
