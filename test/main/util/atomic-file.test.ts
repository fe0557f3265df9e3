/**
 * The atomic write on a file system that briefly refuses renames, as Windows does while an
 * antivirus scanner or the indexer holds the target (issue 17 item 8). Real files in a temporary
 * folder; only the rename is passed through a seam that fails the way Windows does.
 */
import { readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, type RenameSeam } from '../../../main/util/atomic-file';
import { tempDir } from '../../support/clips';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-atomic-'));
});
afterAll(() => cleanup());

/** A rename that fails `failures` times with `code`, then does the real rename. */
function flakyRename(code: string, failures: number) {
  const sleeps: number[] = [];
  let calls = 0;
  const seam: RenameSeam = {
    rename: async (from, to) => {
      calls++;
      if (calls <= failures)
        throw Object.assign(new Error(`${code}: operation not permitted, rename`), { code });
      await rename(from, to);
    },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
  return { seam, sleeps, calls: () => calls };
}

describe('writeFileAtomic on a file briefly held by another program', () => {
  it.each(['EPERM', 'EBUSY', 'EACCES'])(
    'retries the rename on %s with a short back-off and writes the new content',
    async (code) => {
      const target = path.join(dir, `${code}.json`);
      const flaky = flakyRename(code, 3);
      await writeFileAtomic(target, `{"code":"${code}"}`, flaky.seam);
      expect(await readFile(target, 'utf8')).toBe(`{"code":"${code}"}`);
      expect(flaky.calls()).toBe(4);
      expect(flaky.sleeps).toHaveLength(3);
      // Growing, and short: a held file is released within milliseconds.
      expect(flaky.sleeps).toEqual([...flaky.sleeps].sort((a, b) => a - b));
      expect(flaky.sleeps.every((ms) => ms > 0 && ms <= 1000)).toBe(true);
    },
  );

  it('gives up after a bounded time, throws the error, and leaves no temporary file', async () => {
    const target = path.join(dir, 'held-for-good.json');
    const flaky = flakyRename('EBUSY', Number.POSITIVE_INFINITY);
    await expect(writeFileAtomic(target, '{}', flaky.seam)).rejects.toMatchObject({
      code: 'EBUSY',
    });
    expect(flaky.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3000);
    expect(flaky.calls()).toBe(flaky.sleeps.length + 1);
    expect((await readdir(dir)).filter((name) => name.startsWith('held-for-good'))).toEqual([]);
  });

  it('does not retry other errors', async () => {
    const flaky = flakyRename('ENOSPC', 1);
    await expect(
      writeFileAtomic(path.join(dir, 'full.json'), '{}', flaky.seam),
    ).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(flaky.calls()).toBe(1);
  });
});
