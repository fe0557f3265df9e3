/**
 * The byte routes (steps 2 and 3, section 6 "Block PUT" and "Thumbnail PUT"): every status row,
 * the block-size limits, blockNum rules in both modes, single-shot uploads and thumbnails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ERROR_CODES } from '../../main/sandbox/index';
import {
  call,
  expectError,
  openSandbox,
  pattern,
  putBlock,
  type AccountInfo,
  type Reservation,
  type TestSandbox,
} from './support';

const MIB2 = 2_097_152;
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);

let sandbox: TestSandbox;
let account: AccountInfo;
let other: AccountInfo;

beforeAll(async () => {
  sandbox = await openSandbox();
  [account, other] = await Promise.all([sandbox.account(), sandbox.account()]);
});
afterAll(() => sandbox.close());

async function download(clip: Record<string, unknown>): Promise<Uint8Array> {
  const uri = (clip.gameClipUris as { uri: string }[])[0]!.uri;
  const response = await fetch(uri);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

describe('block PUT: which clip (404, 403, 410)', () => {
  it('answers 404 for a clip that was never reserved, or a URI naming another owner', async () => {
    const reservation = await sandbox.reserve(account);
    const unknown = reservation.uploadUri.replace(
      reservation.gameClipId,
      '00000000-0000-4000-8000-000000000000',
    );
    expectError(
      await putBlock(unknown, account, 0, pattern(1000)),
      404,
      SANDBOX_ERROR_CODES.notFound,
    );
    const wrongOwner = reservation.uploadUri.replace(
      `xuid(${account.xuid})`,
      `xuid(${other.xuid})`,
    );
    expectError(await putBlock(wrongOwner, account, 0, pattern(1000)), 404);
    const notAnId = reservation.uploadUri.replace(reservation.gameClipId, 'abc');
    expectError(await putBlock(notAnId, account, 0, pattern(1000)), 404);
  });

  it("answers 403 when the token's xuid is not the owner", async () => {
    const reservation = await sandbox.reserve(account);
    expectError(await putBlock(reservation.uploadUri, other, 0, pattern(1000)), 403, 8377);
  });

  it('answers 410 for a deleted clip and for a clip in Error', async () => {
    const deleted = await sandbox.reserve(account);
    await call(sandbox.clipUrl(account, deleted.gameClipId), { method: 'DELETE', auth: account });
    expectError(
      await putBlock(deleted.uploadUri, account, 0, pattern(1000)),
      410,
      SANDBOX_ERROR_CODES.gone,
    );

    const failed = await sandbox.reserve(account, { fileSize: 1000, expectedBlocks: 1 });
    expectError(
      await putBlock(failed.uploadUri, account, 0, pattern(999)),
      400,
      SANDBOX_ERROR_CODES.sizeMismatch,
    );
    expectError(await putBlock(failed.uploadUri, account, 0, pattern(1000)), 410);
  });
});

describe('block PUT: blockNum (section 6, A7)', () => {
  let reservation: Reservation;
  beforeAll(async () => {
    reservation = await sandbox.reserve(account, { fileSize: 3000, expectedBlocks: 3 });
  });

  it.each([
    ['missing', ''],
    ['not a number', '?blockNum=one'],
    ['negative', '?blockNum=-1'],
    ['fractional', '?blockNum=1.5'],
    ['equal to expectedBlocks', '?blockNum=3'],
    ['far out of range', '?blockNum=4294967296'],
  ])('answers 400 when blockNum is %s', async (_, query) => {
    const answer = await call(`${reservation.uploadUri}${query}`, {
      method: 'PUT',
      auth: account,
      bytes: pattern(1000),
    });
    expectError(answer, 400, SANDBOX_ERROR_CODES.invalidRequest);
  });

  it('answers 400 for blockNum on a single-shot reservation', async () => {
    const single = await sandbox.reserve(account, { expectedBlocks: undefined });
    expectError(await putBlock(single.uploadUri, account, 0, pattern(1000)), 400);
  });

  it('takes blockNumber as an alias in lenient mode, accepts and ignores uploadId', async () => {
    const aliased = await sandbox.reserve(account, { fileSize: 2000, expectedBlocks: 2 });
    const first = await call(`${aliased.uploadUri}?blockNumber=0&uploadId=whatever`, {
      method: 'PUT',
      auth: account,
      bytes: pattern(1000),
    });
    expect(first.status).toBe(202);
    const conflicting = await call(`${aliased.uploadUri}?blockNum=1&blockNumber=0`, {
      method: 'PUT',
      auth: account,
      bytes: pattern(1000),
    });
    expectError(conflicting, 400);
  });

  it('refuses blockNumber in strict mode', async () => {
    const strict = await openSandbox({ strict: true });
    try {
      const user = await strict.account();
      const r = await strict.reserve(user, { fileSize: 1000, expectedBlocks: 1 });
      const answer = await call(`${r.uploadUri}?blockNumber=0`, {
        method: 'PUT',
        auth: user,
        bytes: pattern(1000),
      });
      expectError(answer, 400);
      expect((answer.body as { errorMessage: string }).errorMessage).toContain('blockNum');
      expect((await putBlock(r.uploadUri, user, 0, pattern(1000))).status).toBe(201);
    } finally {
      await strict.close();
    }
  });
});

describe('block PUT: sizes (A6)', () => {
  it('answers 400 for an empty block', async () => {
    const reservation = await sandbox.reserve(account);
    expectError(await putBlock(reservation.uploadUri, account, 0, new Uint8Array(0)), 400);
  });

  it('accepts a block of exactly 2 MiB and refuses one byte more', async () => {
    const reservation = await sandbox.reserve(account, { fileSize: MIB2 * 2, expectedBlocks: 2 });
    const over = await putBlock(reservation.uploadUri, account, 0, pattern(MIB2 + 1));
    expectError(over, 400, SANDBOX_ERROR_CODES.bodyTooLarge);
    expect((await putBlock(reservation.uploadUri, account, 0, pattern(MIB2))).status).toBe(202);
    expect((await putBlock(reservation.uploadUri, account, 1, pattern(MIB2, 2))).status).toBe(201);
  });

  it('refuses an over-size chunked body that declares no length', async () => {
    const reservation = await sandbox.reserve(account, { fileSize: MIB2 * 2, expectedBlocks: 2 });
    const body = pattern(MIB2 + 10);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < body.length; offset += 65_536)
          controller.enqueue(body.subarray(offset, offset + 65_536));
        controller.close();
      },
    });
    const response = await fetch(`${reservation.uploadUri}?blockNum=0`, {
      method: 'PUT',
      headers: { Authorization: account.authorization },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errorCode: number }).errorCode).toBe(
      SANDBOX_ERROR_CODES.bodyTooLarge,
    );
  });

  it('takes blocks of unequal sizes as long as they add up to fileSize', async () => {
    const file = pattern(3000, 5);
    const reservation = await sandbox.reserve(account, { fileSize: 3000, expectedBlocks: 3 });
    expect((await putBlock(reservation.uploadUri, account, 0, file.subarray(0, 100))).status).toBe(
      202,
    );
    expect(
      (await putBlock(reservation.uploadUri, account, 1, file.subarray(100, 2900))).status,
    ).toBe(202);
    expect((await putBlock(reservation.uploadUri, account, 2, file.subarray(2900))).status).toBe(
      201,
    );
    const clip = await sandbox.waitForState(account, reservation.gameClipId, 'Published');
    expect(await download(clip)).toEqual(file);
  });

  it('moves the clip to Error with 400 when the blocks do not add up to fileSize', async () => {
    const reservation = await sandbox.reserve(account, { fileSize: 3000, expectedBlocks: 2 });
    expect((await putBlock(reservation.uploadUri, account, 0, pattern(1000))).status).toBe(202);
    const last = await putBlock(reservation.uploadUri, account, 1, pattern(1000));
    expectError(last, 400, SANDBOX_ERROR_CODES.sizeMismatch);
    expect((last.body as { errorMessage: string }).errorMessage).toContain('2000 bytes');
    const clip = await call(sandbox.clipUrl(account, reservation.gameClipId), { auth: account });
    expect((clip.body as { gameClip: { state: string } }).gameClip.state).toBe('Error');
  });

  it('replaces an earlier copy of a block that is sent again', async () => {
    const file = pattern(2000, 11);
    const reservation = await sandbox.reserve(account, { fileSize: 2000, expectedBlocks: 2 });
    expect((await putBlock(reservation.uploadUri, account, 0, pattern(1000, 99))).status).toBe(202);
    expect((await putBlock(reservation.uploadUri, account, 0, file.subarray(0, 1000))).status).toBe(
      202,
    );
    expect((await putBlock(reservation.uploadUri, account, 1, file.subarray(1000))).status).toBe(
      201,
    );
    const clip = await sandbox.waitForState(account, reservation.gameClipId, 'Published');
    expect(await download(clip)).toEqual(file);
  });

  it('does not care about Content-Type on PUTs (1.4)', async () => {
    const reservation = await sandbox.reserve(account);
    const answer = await call(`${reservation.uploadUri}?blockNum=0`, {
      method: 'PUT',
      auth: account,
      bytes: pattern(1000),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(answer.status).toBe(201);
  });
});

describe('single-shot PUT (A8)', () => {
  it('answers 201 to the whole file in one PUT without blockNum', async () => {
    const file = pattern(50_000, 4);
    const reservation = await sandbox.reserve(account, {
      fileSize: file.length,
      expectedBlocks: undefined,
    });
    const answer = await putBlock(reservation.uploadUri, account, undefined, file);
    expect(answer.status).toBe(201);
    expect((await putBlock(reservation.uploadUri, account, undefined, file)).status).toBe(201);
    const clip = await sandbox.waitForState(account, reservation.gameClipId, 'Published');
    expect(await download(clip)).toEqual(file);
  });

  it('is not bound by the 2 MiB block limit', async () => {
    const file = pattern(MIB2 + 5000, 8);
    const reservation = await sandbox.reserve(account, {
      fileSize: file.length,
      expectedBlocks: undefined,
    });
    expect((await putBlock(reservation.uploadUri, account, undefined, file)).status).toBe(201);
  });

  it('moves the clip to Error with 400 when the file is not fileSize bytes', async () => {
    for (const size of [999, 1001]) {
      const reservation = await sandbox.reserve(account, {
        fileSize: 1000,
        expectedBlocks: undefined,
      });
      const answer = await putBlock(reservation.uploadUri, account, undefined, pattern(size));
      expectError(answer, 400, SANDBOX_ERROR_CODES.sizeMismatch);
      const clip = await call(sandbox.clipUrl(account, reservation.gameClipId), { auth: account });
      expect((clip.body as { gameClip: { state: string } }).gameClip.state).toBe('Error');
    }
  });
});

describe('thumbnail PUT (step 3)', () => {
  it('takes PNG and JPEG with 201 and attaches them when the clip publishes', async () => {
    const file = pattern(1000);
    const reservation = await sandbox.reserve(account);
    const large = await call(reservation.largeThumbnailUri!, {
      method: 'PUT',
      auth: account,
      bytes: PNG,
      headers: { 'Content-Type': 'image/png' },
    });
    expect(large.status).toBe(201);
    const small = await call(reservation.smallThumbnailUri!, {
      method: 'PUT',
      auth: account,
      bytes: JPEG,
      headers: { 'Content-Type': 'image/jpeg' },
    });
    expect(small.status).toBe(201);
    const pending = await call(sandbox.clipUrl(account, reservation.gameClipId), { auth: account });
    expect((pending.body as { gameClip: { thumbnails: unknown[] } }).gameClip.thumbnails).toEqual(
      [],
    );
    expect((await putBlock(reservation.uploadUri, account, 0, file)).status).toBe(201);
    const clip = await sandbox.waitForState(account, reservation.gameClipId, 'Published');
    const thumbnails = clip.thumbnails as {
      uri: string;
      fileSize: number;
      thumbnailType: string;
    }[];
    expect(thumbnails.map((t) => [t.thumbnailType, t.fileSize])).toEqual([
      ['Small', JPEG.length],
      ['Large', PNG.length],
    ]);
    const got = await fetch(thumbnails[1]!.uri);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(PNG);
  });

  it('takes thumbnails after the commit too, as the app sends them (documented choice)', async () => {
    const reservation = await sandbox.reserve(account);
    expect((await putBlock(reservation.uploadUri, account, 0, pattern(1000))).status).toBe(201);
    await sandbox.waitForState(account, reservation.gameClipId, 'Published');
    expect(
      (await call(reservation.largeThumbnailUri!, { method: 'PUT', auth: account, bytes: PNG }))
        .status,
    ).toBe(201);
    const clip = await sandbox.waitForState(account, reservation.gameClipId, 'Published');
    expect((clip.thumbnails as unknown[]).length).toBe(1);
  });

  it('answers 400 for bytes that are not PNG or JPEG, an empty body, or more than 2 MiB', async () => {
    const reservation = await sandbox.reserve(account);
    const uri = reservation.largeThumbnailUri!;
    expectError(await call(uri, { method: 'PUT', auth: account, bytes: pattern(100) }), 400);
    expectError(await call(uri, { method: 'PUT', auth: account, bytes: new Uint8Array(0) }), 400);
    const big = new Uint8Array(MIB2 + 1);
    big.set(PNG);
    expectError(
      await call(uri, { method: 'PUT', auth: account, bytes: big }),
      400,
      SANDBOX_ERROR_CODES.bodyTooLarge,
    );
  });

  it('answers 404 when no thumbnail URI was issued, 403 for another user, 410 once deleted', async () => {
    const withDefault = await sandbox.reserve(account, { thumbnailSource: 'Default' });
    expectError(
      await call(`${withDefault.uploadUri}/thumbnails/large`, {
        method: 'PUT',
        auth: account,
        bytes: PNG,
      }),
      404,
    );
    const reservation = await sandbox.reserve(account);
    expectError(
      await call(`${reservation.uploadUri}/thumbnails/medium`, {
        method: 'PUT',
        auth: account,
        bytes: PNG,
      }),
      404,
    );
    expectError(
      await call(reservation.largeThumbnailUri!, { method: 'PUT', auth: other, bytes: PNG }),
      403,
    );
    await call(sandbox.clipUrl(account, reservation.gameClipId), {
      method: 'DELETE',
      auth: account,
    });
    expectError(
      await call(reservation.largeThumbnailUri!, { method: 'PUT', auth: account, bytes: PNG }),
      410,
    );
  });
});
