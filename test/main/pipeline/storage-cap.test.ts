/** Issue 16, item 5: the keeper of the storage cap, one trim at a time, telling only removals. */
import { describe, expect, it } from 'vitest';
import type { StorageTrimmed } from '../../../app/ipc/contract';
import { fail, ok } from '../../../app/ipc/result';
import { keepStorageCap } from '../../../main/pipeline/storage-cap';
import { silentLogger } from '../../../main/util/logger';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

type TrimAnswer = ReturnType<typeof ok<{ removed: number; clipIds: string[] }>>;

describe('keepStorageCap', () => {
  it('trims to the stored cap and tells only when clips went', async () => {
    const notices: StorageTrimmed[] = [];
    const asked: number[] = [];
    let removed = 0;
    const keeper = keepStorageCap({
      capBytes: () => 1000,
      trim: ({ maxBytes }) => {
        asked.push(maxBytes);
        return Promise.resolve(ok({ removed, clipIds: removed ? ['a', 'b'] : [] }));
      },
      trimmed: (notice) => notices.push(notice),
      logger: silentLogger,
    });
    await keeper.apply();
    expect(asked).toEqual([1000]);
    expect(notices).toEqual([]);
    removed = 2;
    await keeper.apply();
    expect(notices).toEqual([{ removed: 2, capBytes: 1000, clipIds: ['a', 'b'] }]);
  });

  it('does nothing without a cap, and survives a service that does not answer', async () => {
    let cap: number | undefined;
    let calls = 0;
    const keeper = keepStorageCap({
      capBytes: () => cap,
      trim: () => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new Error('connection refused'))
          : Promise.resolve(fail('ipc/invalid-arguments', 'no answer'));
      },
      trimmed: () => {
        throw new Error('nothing was removed');
      },
      logger: silentLogger,
    });
    await keeper.apply();
    expect(calls).toBe(0);
    cap = 10;
    await expect(keeper.apply()).resolves.toBeUndefined();
    await expect(keeper.apply()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('runs one trim at a time; asks made meanwhile share one more run', async () => {
    const gates: Array<ReturnType<typeof deferred<TrimAnswer>>> = [];
    let running = 0;
    let most = 0;
    const keeper = keepStorageCap({
      capBytes: () => 1,
      trim: () => {
        running += 1;
        most = Math.max(most, running);
        const gate = deferred<TrimAnswer>();
        gates.push(gate);
        return gate.promise.finally(() => (running -= 1));
      },
      trimmed: () => undefined,
      logger: silentLogger,
    });
    const first = keeper.apply();
    await expect.poll(() => gates.length).toBe(1);
    const second = keeper.apply();
    const third = keeper.apply();
    expect(second).toBe(third);
    gates[0]!.resolve(ok({ removed: 0, clipIds: [] }));
    await first;
    await expect.poll(() => gates.length).toBe(2);
    gates[1]!.resolve(ok({ removed: 0, clipIds: [] }));
    await Promise.all([second, third]);
    expect(gates.length).toBe(2);
    expect(most).toBe(1);
    // After stop, asks do nothing.
    await keeper.stop();
    await keeper.apply();
    expect(gates.length).toBe(2);
  });
});
