/**
 * The admin surface (/sandbox/: accounts, faults, stats, health) and the edges every request
 * meets: unknown routes, wrong methods, bad encodings, and ids that try to leave the data folder.
 */
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_ERROR_CODES } from '../../main/sandbox/index';
import {
  call,
  expectError,
  openSandbox,
  pattern,
  putBlock,
  reserveBody,
  type AccountInfo,
  type TestSandbox,
} from './support';

let sandbox: TestSandbox;
let account: AccountInfo;

beforeAll(async () => {
  sandbox = await openSandbox();
  account = await sandbox.account();
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await call(sandbox.url('/sandbox/faults'), { method: 'DELETE' });
});

function fault(body: Record<string, unknown>): Promise<void> {
  return call(sandbox.url('/sandbox/faults'), { json: body }).then((answer) => {
    expect(answer.status, answer.text).toBe(201);
  });
}

const reserveUrl = (): string => sandbox.url(`/users/me/scids/${account.scid}/clips`);

async function clipCount(): Promise<number> {
  const answer = await call(sandbox.url('/users/me/clips?maxItems=100'), { auth: account });
  return (answer.body as { pagingInfo: { totalItems: number } }).pagingInfo.totalItems;
}

describe('POST /sandbox/accounts', () => {
  it('creates accounts on a chosen title, SCID, device type and gamertag', async () => {
    const answer = await call(sandbox.url('/sandbox/accounts'), {
      json: {
        gamertag: 'Local player',
        deviceType: 'XboxOne',
        titleId: '42',
        scid: 'D1ADC8AA-0A31-4407-90F2-7E9B54B0347C',
      },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      gamertag: 'Local player',
      deviceType: 'XboxOne',
      titleId: '42',
      scid: 'd1adc8aa-0a31-4407-90f2-7e9b54b0347c',
      sandboxId: 'RETAIL',
    });
    const made = answer.body as AccountInfo;
    expect((await sandbox.reserve(made)).gameClipId).toBeTruthy();
    // A second account of the same title shares its SCID.
    const same = (await call(sandbox.url('/sandbox/accounts'), { json: { titleId: 42 } }))
      .body as AccountInfo;
    expect(same.scid).toBe(made.scid);
  });

  it('answers 400 for a bad body, an unknown member, or a SCID of another title', async () => {
    for (const body of [
      { titleId: 'abc' },
      { scid: 'nope' },
      { gamertag: '' },
      { deviceType: 'has spaces' },
      { quota: { maxCount: -1 } },
      { favouriteColour: 'blue' },
      { titleId: 1, scid: account.scid },
    ])
      expectError(await call(sandbox.url('/sandbox/accounts'), { json: body }), 400);
    expectError(
      await call(sandbox.url('/sandbox/accounts'), {
        bytes: new TextEncoder().encode('{'),
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
    );
  });

  it('takes no body at all', async () => {
    const answer = await call(sandbox.url('/sandbox/accounts'), { method: 'POST' });
    expect(answer.status).toBe(201);
  });
});

describe('POST /sandbox/faults', () => {
  it('answers the next matching requests with a status and Retry-After, then recovers', async () => {
    await fault({ route: 'reserve', status: 503, retryAfter: 5, times: 2 });
    for (let i = 0; i < 2; i++) {
      const answer = await call(reserveUrl(), { auth: account, json: reserveBody() });
      expectError(answer, 503, SANDBOX_ERROR_CODES.injectedFault);
      expect(answer.headers.get('retry-after')).toBe('5');
    }
    expect((await call(reserveUrl(), { auth: account, json: reserveBody() })).status).toBe(200);
  });

  it('answers 429 and 500 and 408 on any route it names', async () => {
    const reservation = await sandbox.reserve(account);
    const clipUrl = sandbox.clipUrl(account, reservation.gameClipId);
    await fault({ route: 'get', status: 429 });
    const limited = await call(clipUrl, { auth: account });
    expectError(limited, 429);
    // 429 and 503 always carry Retry-After (1.4), unless the fault says null.
    expect(limited.headers.get('retry-after')).toBe('1');
    await fault({ route: 'get', status: 503, retryAfter: null });
    const bare = await call(clipUrl, { auth: account });
    expectError(bare, 503);
    expect(bare.headers.get('retry-after')).toBeNull();
    await fault({ route: 'list', status: 500 });
    const failed = await call(sandbox.url('/users/me/clips'), { auth: account });
    expectError(failed, 500);
    expect(failed.headers.get('retry-after')).toBeNull();
    await fault({ route: 'block', status: 408 });
    expectError(await putBlock(reservation.uploadUri, account, 0, pattern(1000)), 408);
    await fault({ route: 'update', status: 503 });
    expectError(await call(clipUrl, { auth: account, json: {} }), 503);
    await fault({ route: 'delete', status: 503 });
    expectError(await call(clipUrl, { auth: account, method: 'DELETE' }), 503);
    expect((await call(clipUrl, { auth: account, method: 'DELETE' })).status).toBe(204);
  });

  it('targets one blockNum', async () => {
    const reservation = await sandbox.reserve(account, { fileSize: 2000, expectedBlocks: 2 });
    await fault({ route: 'block', status: 503, blockNum: 1 });
    expect((await putBlock(reservation.uploadUri, account, 0, pattern(1000))).status).toBe(202);
    expectError(await putBlock(reservation.uploadUri, account, 1, pattern(1000)), 503);
    expect((await putBlock(reservation.uploadUri, account, 1, pattern(1000))).status).toBe(201);
  });

  it('delays a request by delayMs', async () => {
    await fault({ route: 'list', delayMs: 150 });
    const started = performance.now();
    expect((await call(sandbox.url('/users/me/clips'), { auth: account })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops the connection before the work: nothing is reserved', async () => {
    const before = await clipCount();
    await fault({ route: 'reserve', dropConnection: true });
    await expect(call(reserveUrl(), { auth: account, json: reserveBody() })).rejects.toThrow();
    expect(await clipCount()).toBe(before);
  });

  it('with afterCommit, applies the call and then drops it: an ambiguous failure', async () => {
    const before = await clipCount();
    await fault({ route: 'reserve', dropConnection: true, afterCommit: true });
    await expect(call(reserveUrl(), { auth: account, json: reserveBody() })).rejects.toThrow();
    expect(await clipCount()).toBe(before + 1);
  });

  it('with afterCommit and a status, stores the block yet answers the error', async () => {
    const reservation = await sandbox.reserve(account, { fileSize: 2000, expectedBlocks: 2 });
    await fault({ route: 'block', status: 500, afterCommit: true });
    expectError(await putBlock(reservation.uploadUri, account, 0, pattern(1000)), 500);
    // Block 0 was kept: block 1 completes the set.
    expect((await putBlock(reservation.uploadUri, account, 1, pattern(1000))).status).toBe(201);
  });

  it('redirects with 307 to the same URL, which a client re-sends (step 2)', async () => {
    const reservation = await sandbox.reserve(account);
    await fault({ route: 'block', status: 307 });
    const response = await fetch(`${reservation.uploadUri}?blockNum=0`, {
      method: 'PUT',
      headers: { Authorization: account.authorization },
      body: pattern(1000),
      redirect: 'manual',
    });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe(`${reservation.uploadUri}?blockNum=0`);
    expect((await putBlock(reservation.uploadUri, account, 0, pattern(1000))).status).toBe(201);
  });

  it('lists armed faults, clears them, and refuses a fault that does nothing or names no route', async () => {
    await fault({ route: 'get', status: 503, times: 3 });
    const listed = await call(sandbox.url('/sandbox/faults'));
    expect((listed.body as { faults: { remaining: number }[] }).faults[0]!.remaining).toBe(3);
    expect((await call(sandbox.url('/sandbox/faults'), { method: 'DELETE' })).status).toBe(204);
    expect((await call(sandbox.url('/sandbox/faults'))).body).toEqual({ faults: [] });
    for (const body of [
      { route: 'get' },
      { route: 'nowhere', status: 500 },
      { route: 'get', status: 200 },
      { route: 'get', status: 500, times: 0 },
    ])
      expectError(await call(sandbox.url('/sandbox/faults'), { json: body }), 400);
  });
});

describe('GET /sandbox/stats and /sandbox/health', () => {
  it('counts requests per route and status, and live reservations per account', async () => {
    expect((await call(sandbox.url('/sandbox/stats'), { method: 'DELETE' })).status).toBe(204);
    const user = await sandbox.account();
    const reservation = await sandbox.reserve(user);
    await sandbox.reserve(user);
    await call(reserveUrl(), { json: reserveBody() });
    await putBlock(reservation.uploadUri, user, 0, pattern(1000));
    const stats = (await call(sandbox.url('/sandbox/stats'))).body as {
      requests: Record<string, Record<string, number>>;
      liveReservations: Record<string, number>;
    };
    expect(stats.requests.reserve).toEqual({ '200': 2, '401': 1 });
    expect(stats.requests.block).toEqual({ '201': 1 });
    expect(stats.liveReservations[user.xuid]).toBe(1);
  });

  it('reports health, and says when ffmpeg is missing', async () => {
    const healthy = (await call(sandbox.url('/sandbox/health'))).body as Record<string, unknown>;
    expect(healthy).toMatchObject({ status: 'ok', ffmpeg: { available: false, path: null } });
    const missing = await openSandbox({ ffmpegPath: '/nonexistent/ffmpeg' });
    try {
      const body = (await call(missing.url('/sandbox/health'))).body as {
        ffmpeg: { available: boolean; note: string };
        thumbnails: string;
      };
      expect(body.ffmpeg.available).toBe(false);
      expect(body.thumbnails).toMatch(/without thumbnails/);
    } finally {
      await missing.close();
    }
    const present = await openSandbox({ ffmpegPath: 'ffmpeg' });
    try {
      const body = (await call(present.url('/sandbox/health'))).body as {
        ffmpeg: { available: boolean; version: string };
      };
      expect(body.ffmpeg.available).toBe(true);
      expect(body.ffmpeg.version).toBeTruthy();
    } finally {
      await present.close();
    }
  });

  it('forces a terminal state for clients to test how they stop polling', async () => {
    const reservation = await sandbox.reserve(account);
    const url = sandbox.url(`/sandbox/clips/${reservation.gameClipId}/state`);
    expect((await call(url, { json: { state: 'Banned' } })).status).toBe(204);
    const clip = await call(sandbox.clipUrl(account, reservation.gameClipId), { auth: account });
    expect((clip.body as { gameClip: { state: string } }).gameClip.state).toBe('Banned');
    expectError(await call(url, { json: { state: 'Published' } }), 400);
    expectError(
      await call(sandbox.url('/sandbox/clips/00000000-0000-4000-8000-000000000000/state'), {
        json: { state: 'Banned' },
      }),
      404,
    );
  });
});

describe('routes, methods and paths', () => {
  it('answers 404 with an error body for an unknown route and 405 with Allow for a wrong method', async () => {
    expectError(await call(sandbox.url('/nothing/here')), 404);
    const wrong = await call(sandbox.url('/users/me/clips'), {
      method: 'PUT',
      auth: account,
      bytes: pattern(1),
    });
    expectError(wrong, 405, SANDBOX_ERROR_CODES.methodNotAllowed);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('answers 400 for a path that is not valid URL encoding or not a URL path at all', async () => {
    expectError(await call(sandbox.url('/users/me/scids/%zz/clips'), { auth: account }), 400);
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const port = new URL(sandbox.baseUrl).port;
        const req = request({ host: '127.0.0.1', port, path: '//', method: 'GET' }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(status).toBe(400);
    expect(JSON.parse(body)).toMatchObject({ errorCode: SANDBOX_ERROR_CODES.invalidRequest });
  });

  it('never lets an id from a URL reach outside the data folder (S5)', async () => {
    const secret = 'outside the data folder';
    await writeFile(path.join(sandbox.root, 'sandbox-escape-probe.txt'), secret);
    const attempts = [
      '/content/..%2F..%2Fregistry.json/GameClip-Original.MP4',
      '/content/..%2Fregistry.json/x',
      `/upload/xuid(${account.xuid})/..%2F..%2Fregistry.json/container?blockNum=0`,
      `/upload/xuid(${account.xuid})/..%2F..%2F..%2Fsandbox-escape-probe.txt/container`,
      `/users/me/scids/${account.scid}/clips/..%2F..%2Fregistry.json`,
      `/users/me/scids/${account.scid}/clips/..%5C..%5Cregistry.json`,
      '/sandbox/clips/..%2F..%2Fregistry.json/state',
    ];
    for (const attempt of attempts) {
      const method = attempt.startsWith('/upload')
        ? 'PUT'
        : attempt.startsWith('/sandbox')
          ? 'POST'
          : 'GET';
      const answer = await call(sandbox.url(attempt), {
        method,
        auth: account,
        // JSON for the admin route, so it reaches the handler rather than the 415 in front of it.
        ...(method === 'GET'
          ? {}
          : method === 'POST'
            ? { json: { state: 'Deleted' } }
            : { bytes: pattern(10) }),
      });
      expect([400, 403, 404], `${attempt}: ${answer.status}`).toContain(answer.status);
      expect(answer.text).not.toContain('secret');
      expect(answer.text).not.toContain(secret);
    }
    // The folder is intact: the account still works.
    expect((await call(sandbox.url('/users/me/clips'), { auth: account })).status).toBe(200);
  });
});
