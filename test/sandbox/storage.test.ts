/**
 * Issue 16, item 5: how much the built-in service holds for an account, a cap that removes the
 * oldest clips not marked saved first, and removal of clips older than N days. Only the service's
 * copies go: the bytes the client uploaded from stay where they are.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  openSandbox,
  pattern,
  putBlock,
  type AccountInfo,
  type TestSandbox,
} from './support';

let sandbox: TestSandbox;

async function publish(
  as: AccountInfo,
  overrides: Record<string, unknown>,
  seed: number,
  size = 1000,
): Promise<string> {
  const bytes = pattern(size, seed);
  // The user's own file, beside the service's data: trimming must never touch it.
  await writeFile(path.join(sandbox.root, `user-${seed}.bin`), bytes);
  const reserved = await sandbox.reserve(as, { fileSize: size, expectedBlocks: 1, ...overrides });
  expect((await putBlock(reserved.uploadUri, as, 0, bytes)).status).toBe(201);
  await sandbox.waitForState(as, reserved.gameClipId, 'Published');
  return reserved.gameClipId;
}

beforeAll(async () => {
  sandbox = await openSandbox();
});
afterAll(() => sandbox.close());

describe('storage', () => {
  it('a cap removes the oldest clips not marked saved first, and says which', async () => {
    const account = await sandbox.account();
    const oldest = await publish(account, { dateRecorded: '2024-01-01T00:00:00Z' }, 1);
    const savedOld = await publish(
      account,
      { dateRecorded: '2024-01-02T00:00:00Z', savedByUser: true },
      2,
    );
    const middle = await publish(account, { dateRecorded: '2024-01-03T00:00:00Z' }, 3);
    const newest = await publish(account, { dateRecorded: '2024-01-04T00:00:00Z' }, 4);

    const before = await call(sandbox.url('/users/me/storage'), { auth: account });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      clips: 4,
      savedClips: 1,
      videoBytes: 4000,
      thumbnailBytes: 0,
      totalBytes: 4000,
      dataDir: sandbox.dataDir,
    });

    // A cap of 2500 bytes: the two oldest unsaved clips go; the saved one stays though older.
    const trimmed = await call(sandbox.url('/users/me/storage/trim'), {
      auth: account,
      json: { maxBytes: 2500 },
    });
    expect(trimmed.status, trimmed.text).toBe(200);
    expect((trimmed.body as { removed: string[] }).removed).toEqual([oldest, middle]);
    expect(trimmed.body).toMatchObject({ clips: 2, totalBytes: 2000 });
    for (const id of [oldest, middle])
      expect((await call(sandbox.clipUrl(account, id), { auth: account })).status).toBe(404);
    for (const id of [savedOld, newest])
      expect((await call(sandbox.clipUrl(account, id), { auth: account })).status).toBe(200);
    // The user's own files are untouched.
    for (const seed of [1, 2, 3, 4])
      expect(
        Buffer.from(await readFile(path.join(sandbox.root, `user-${seed}.bin`))).equals(
          Buffer.from(pattern(1000, seed)),
        ),
      ).toBe(true);
  });

  it('removes every clip recorded more than N days ago, saved or not', async () => {
    const account = await sandbox.account();
    const ancient = await publish(
      account,
      { dateRecorded: '2020-01-01T00:00:00Z', savedByUser: true },
      11,
    );
    const recent = await publish(account, { dateRecorded: new Date().toISOString() }, 12);
    const trimmed = await call(sandbox.url('/users/me/storage/trim'), {
      auth: account,
      json: { olderThanDays: 30 },
    });
    expect((trimmed.body as { removed: string[] }).removed).toEqual([ancient]);
    expect((await call(sandbox.clipUrl(account, recent), { auth: account })).status).toBe(200);
  });

  it('refuses a body that names neither or both, and callers without a token', async () => {
    const account = await sandbox.account();
    for (const json of [{}, { maxBytes: 1, olderThanDays: 1 }, { maxBytes: -1 }])
      expect(
        (await call(sandbox.url('/users/me/storage/trim'), { auth: account, json })).status,
      ).toBe(400);
    expect((await call(sandbox.url('/users/me/storage'))).status).toBe(401);
  });
});
