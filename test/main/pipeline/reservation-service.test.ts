/**
 * Reservation against the real sandbox over loopback HTTP, with faults injected through
 * `/sandbox/faults`: storms, ambiguous failures, and every outcome the user must act on.
 * The count that matters is read from the service itself (its list and `/sandbox/stats`), not
 * from the app's own bookkeeping.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newClipRecord, type ClipRecord } from '../../../app/clip/clip';
import { correlationIdOf } from '../../../app/gameclips/request';
import { silentLogger } from '../../../main/util/logger';
import { AxiosGameClipsClient } from '../../../main/gameclips/axios-gameclips-client';
import type { GameClipsClient } from '../../../main/gameclips/gameclips-client';
import { FileClipLedger } from '../../../main/ledger/file-clip-ledger';
import { ReservationService } from '../../../main/pipeline/reservation-service';
import { CONSOLE_DEVICE_TYPES } from '../../../main/sandbox/index';
import { recordFigure } from '../../support/figures';
import {
  call,
  listAllClips,
  openSandbox,
  type AccountInfo,
  type TestSandbox,
} from '../../sandbox/support';

interface Harness {
  readonly sandbox: TestSandbox;
  readonly account: AccountInfo;
  readonly ledger: FileClipLedger;
  readonly service: ReservationService;
  /** Every reserve call as it left the client: which clip and when (ms). */
  readonly attempts: { readonly clipId: string; readonly atMs: number }[];
  readonly events: string[];
  add(count: number): Promise<string[]>;
  /** Reservations alive on the service, grouped by the local clip they carry. */
  liveByClip(): Promise<Map<string, string[]>>;
  stats(): Promise<{ requests: Record<string, Record<string, number>> }>;
  fault(body: Record<string, unknown>): Promise<void>;
  settle(ids: readonly string[], states: readonly string[]): Promise<ClipRecord[]>;
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

async function harness(
  options: {
    sandbox?: Parameters<typeof openSandbox>[0];
    account?: Record<string, unknown>;
    authorization?: (account: AccountInfo) => string;
    baseUrl?: (sandbox: TestSandbox) => string;
    timeoutMs?: number;
    savedByUser?: boolean;
    scid?: string;
  } = {},
): Promise<Harness> {
  const sandbox = await openSandbox(options.sandbox);
  const account = await sandbox.account(options.account);
  const ledger = await FileClipLedger.open(path.join(sandbox.root, 'ledger'), silentLogger);
  const attempts: { clipId: string; atMs: number }[] = [];
  const events: string[] = [];
  const real = new AxiosGameClipsClient({
    baseUrl: options.baseUrl?.(sandbox) ?? sandbox.baseUrl,
    account: {
      authorization: () =>
        Promise.resolve(options.authorization?.(account) ?? account.authorization),
      refresh: () => Promise.resolve(false),
    },
    timeoutMs: options.timeoutMs ?? 5000,
  });
  // Records each reserve call as it leaves; everything else goes straight to the real client.
  const client: GameClipsClient = Object.assign(Object.create(real) as GameClipsClient, {
    reserve: (scid: string, body: Parameters<GameClipsClient['reserve']>[1]) => {
      attempts.push({ clipId: correlationIdOf(body.systemProperties) ?? '?', atMs: Date.now() });
      return real.reserve(scid, body);
    },
  });
  const service = new ReservationService({
    ledger,
    client,
    account: {
      authorization: () => Promise.resolve(account.authorization),
      refresh: () => Promise.resolve(false),
    },
    scid: options.scid ?? account.scid,
    logger: silentLogger,
    thumbnailSource: 'Offset',
    savedByUser: () => options.savedByUser ?? false,
    events: {
      reserved: (record) => events.push(`reserved ${record.id}`),
      blocked: (record) => events.push(`blocked ${record.id} ${record.error?.code}`),
      rejected: (record) => events.push(`rejected ${record.id} ${record.error?.code}`),
      retrying: (record) => events.push(`retrying ${record.id}`),
    },
  });
  open.push({
    close: async () => {
      await service.stop();
      await ledger.flush();
      await sandbox.close();
    },
  });
  let next = 0;
  const self: Harness = {
    sandbox,
    account,
    ledger,
    service,
    attempts,
    events,
    async add(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        next += 1;
        const id = `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
        await ledger.put(
          newClipRecord({
            id,
            origin: 'watch',
            file: {
              path: `/videos/clip-${next}.mp4`,
              size: 3_000_000,
              mtimeMs: 1,
              fingerprint: `f${next}`,
            },
            probe: {
              container: 'mp4',
              durationSeconds: 12,
              recordedAt: '2026-11-01T10:00:00.000Z',
            },
            draft: { caption: `clip ${next}`, visibility: 'Owner' },
            now: new Date().toISOString(),
          }),
        );
        ids.push(id);
      }
      for (const id of ids) service.enqueue(id);
      return ids;
    },
    async liveByClip() {
      const live = new Map<string, string[]>();
      for (const clip of await listAllClips(sandbox.baseUrl, account)) {
        const clipId = correlationIdOf(clip.systemProperties) ?? '?';
        live.set(clipId, [...(live.get(clipId) ?? []), clip.gameClipId]);
      }
      return live;
    },
    async stats() {
      return (await call(sandbox.url('/sandbox/stats'))).body as {
        requests: Record<string, Record<string, number>>;
      };
    },
    async fault(body) {
      const answer = await call(sandbox.url('/sandbox/faults'), { json: body });
      expect(answer.status, answer.text).toBe(201);
    },
    async settle(ids, states) {
      for (;;) {
        const records = ids.map((id) => ledger.get(id)!);
        if (records.every((record) => states.includes(record.state))) return records;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
  return self;
}

describe('a 503 storm with Retry-After (R2)', () => {
  it('tries each clip at most once per Retry-After, then reserves each exactly once', async () => {
    const h = await harness();
    // Every reserve call fails for the next 2.5 s, each answer saying "Retry-After: 1".
    await h.fault({ route: 'reserve', status: 503, retryAfter: 1, times: 1000 });
    const ids = await h.add(6);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await call(h.sandbox.url('/sandbox/faults'), { method: 'DELETE' });
    const records = await h.settle(ids, ['reserved']);

    let closest = Infinity;
    for (const id of ids) {
      const times = h.attempts.filter((a) => a.clipId === id).map((a) => a.atMs);
      for (let i = 1; i < times.length; i++) {
        expect(times[i]! - times[i - 1]!, `clip ${id} retried early`).toBeGreaterThanOrEqual(990);
        closest = Math.min(closest, times[i]! - times[i - 1]!);
      }
    }
    // The pause is service-wide: once told to wait, no clip's call left before the second was up.
    const stormAnswers = (await h.stats()).requests.reserve?.['503'] ?? 0;
    expect(stormAnswers).toBeGreaterThan(0);
    expect(stormAnswers).toBeLessThanOrEqual(ids.length * 3);
    const live = await h.liveByClip();
    for (const record of records) {
      expect(live.get(record.id)).toEqual([record.reservation?.gameClipId]);
    }
    expect([...live.values()].flat()).toHaveLength(ids.length);
    recordFigure('R2 503 storm, Retry-After 1 s', {
      clips: ids.length,
      stormAnswers,
      maxAttemptsPerClip: Math.max(
        ...ids.map((id) => h.attempts.filter((a) => a.clipId === id).length),
      ),
      closestRetryMs: closest,
      reservationsAfter: [...live.values()].flat().length,
    });
  }, 30_000);
});

describe('ambiguous failures', () => {
  it('a connection dropped after the service committed leaves exactly one live reservation', async () => {
    const h = await harness();
    await h.fault({ route: 'reserve', afterCommit: true, dropConnection: true, times: 3 });
    const ids = await h.add(3);
    const records = await h.settle(ids, ['reserved']);
    const live = await h.liveByClip();
    for (const record of records)
      expect(live.get(record.id)).toEqual([record.reservation?.gameClipId]);
    expect([...live.values()].flat()).toHaveLength(3);
    // The orphans were created and then deleted, not left to hold quota.
    expect((await h.stats()).requests.delete?.['204'] ?? 0).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('a 500 after commit and a timeout after commit reconcile to one reservation each', async () => {
    const h = await harness({ timeoutMs: 400 });
    await h.fault({ route: 'reserve', afterCommit: true, status: 500, times: 1 });
    await h.fault({ route: 'reserve', afterCommit: true, delayMs: 1500, times: 1 });
    const ids = await h.add(2);
    const records = await h.settle(ids, ['reserved']);
    const live = await h.liveByClip();
    for (const record of records)
      expect(live.get(record.id)).toEqual([record.reservation?.gameClipId]);
    expect([...live.values()].flat()).toHaveLength(2);
  }, 30_000);

  it('a crash while reserving is reconciled at the next start', async () => {
    const h = await harness();
    const [id] = await h.add(1);
    const [reserved] = await h.settle([id!], ['reserved']);
    // As if the process died after the POST was applied but before its answer was written.
    const { reservation: _lost, ...crashed } = reserved!;
    await h.ledger.put({ ...crashed, state: 'reserving' });
    h.service.resume();
    const [again] = await h.settle([id!], ['reserved']);
    expect(again?.reservation?.gameClipId).not.toBe(reserved?.reservation?.gameClipId);
    expect((await h.liveByClip()).get(id!)).toEqual([again?.reservation?.gameClipId]);
  }, 30_000);
});

describe('outcomes the user acts on', () => {
  it('401: blocked as signed out, and Retry after signing in reserves it', async () => {
    let signedIn = false;
    const h = await harness({
      authorization: (account) => (signedIn ? account.authorization : 'XBL3.0 x=0;expired'),
    });
    const [id] = await h.add(1);
    const [blocked] = await h.settle([id!], ['blocked']);
    expect(blocked?.error).toMatchObject({ code: 'gameclips/unauthorized', action: 'sign-in' });
    signedIn = true;
    expect(h.service.retry(id!)).toBe(true);
    await h.settle([id!], ['reserved']);
  }, 30_000);

  it('403 (a device type the service refuses): blocked with a plain reason', async () => {
    const h = await harness({ sandbox: { deviceTypeAllowList: CONSOLE_DEVICE_TYPES } });
    const [id] = await h.add(1);
    const [blocked] = await h.settle([id!], ['blocked']);
    expect(blocked?.error?.code).toBe('gameclips/forbidden-device');
    expect(blocked?.error?.message).toMatch(/only from consoles/u);
    expect(blocked?.error?.detail).toMatch(/device/iu);
  }, 30_000);

  it("403 (a SCID that is not the title's): blocked, saying to check the SCID", async () => {
    const h = await harness({ scid: '00000000-0000-0000-0000-0000000000ff' });
    const [id] = await h.add(1);
    const [blocked] = await h.settle([id!], ['blocked']);
    expect(blocked?.error).toMatchObject({
      code: 'gameclips/forbidden-title',
      action: 'open-settings',
    });
  }, 30_000);

  it('404 (a wrong service address): blocked, pointing at the settings', async () => {
    const h = await harness({ baseUrl: (sandbox) => `${sandbox.baseUrl}/not-gameclips` });
    const [id] = await h.add(1);
    const [blocked] = await h.settle([id!], ['blocked']);
    expect(blocked?.error).toMatchObject({ code: 'gameclips/not-found', action: 'open-settings' });
  }, 30_000);

  it('400 over quota: blocked with "delete saved clips or turn off Save to my clips"', async () => {
    const h = await harness({ account: { quota: { maxCount: 1 } }, savedByUser: true });
    const ids = await h.add(2);
    const records = await h.settle(ids, ['reserved', 'blocked']);
    const blocked = records.filter((record) => record.state === 'blocked');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]?.error).toMatchObject({ code: 'gameclips/over-quota', action: 'free-space' });
    expect(blocked[0]?.error?.message).toMatch(/Save to my clips/u);
  }, 30_000);

  it('other 400: rejected with the service message, and never sent again', async () => {
    const h = await harness();
    await h.fault({ route: 'reserve', status: 400, times: 1 });
    const [id] = await h.add(1);
    const [rejected] = await h.settle([id!], ['rejected']);
    expect(rejected?.error?.code).toBe('gameclips/rejected');
    expect(h.service.retry(id!)).toBe(false);
    expect(h.attempts).toHaveLength(1);
  }, 30_000);
});

describe('pacing (P6)', () => {
  it('a burst of 60 clips stays within a burst limit and a sustained rate', async () => {
    const h = await harness();
    const ids = await h.add(60);
    await h.settle(ids, ['reserved']);
    const times = h.attempts.map((a) => a.atMs).sort((a, b) => a - b);
    // 15 may start at once, then 10 a second: 60 calls need at least ~4.5 s.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(4000);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(15 + 10 + 1);
    }
    expect((await h.liveByClip()).size).toBe(60);
  }, 30_000);
});
