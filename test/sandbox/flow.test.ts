/**
 * The whole upload flow of spec section 2 against a real sandbox on loopback: reserve, blocks
 * (202 then exactly one 201, also under concurrency), poll to Published, download, delete.
 */
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
let account: AccountInfo;

beforeAll(async () => {
  sandbox = await openSandbox();
  account = await sandbox.account();
});
afterAll(() => sandbox.close());

describe('accounts', () => {
  it('creates an account whose authorization header is the XBL3.0 form', async () => {
    expect(account.authorization).toBe(`XBL3.0 x=${account.userHash};${account.token}`);
    expect(account.xuid).toMatch(/^\d{16}$/);
    expect(account.scid).toMatch(/^[0-9a-f-]{36}$/);
    expect(account.deviceType).toBe('Win32');
    expect(account.sandboxId).toBe('RETAIL');
  });
});

describe('reserve, upload, publish', () => {
  it('reserves, takes blocks with 202 and commits with one 201, then publishes', async () => {
    const file = pattern(5000, 7);
    const reservation = await sandbox.reserve(account, {
      fileSize: file.length,
      expectedBlocks: 3,
      userCaption: 'first',
    });
    expect(reservation.uploadUri).toBe(
      `${sandbox.baseUrl}/upload/xuid(${account.xuid})/${reservation.gameClipId}/container`,
    );
    expect(reservation.largeThumbnailUri).toBe(`${reservation.uploadUri}/thumbnails/large`);
    const pending = await call(sandbox.clipUrl(account, reservation.gameClipId), { auth: account });
    expect(pending.status).toBe(200);
    expect((pending.body as { gameClip: { state: string } }).gameClip.state).toBe('PendingUpload');

    expect((await putBlock(reservation.uploadUri, account, 2, file.subarray(4000))).status).toBe(
      202,
    );
    expect((await putBlock(reservation.uploadUri, account, 0, file.subarray(0, 2000))).status).toBe(
      202,
    );
    const last = await putBlock(reservation.uploadUri, account, 1, file.subarray(2000, 4000));
    expect(last.status).toBe(201);
    expect(last.text).toBe('');
    // A replay after the commit answers 201 again and changes nothing.
    expect((await putBlock(reservation.uploadUri, account, 1, pattern(10, 99))).status).toBe(201);

    const clip = await sandbox.waitForState(account, reservation.gameClipId, 'Published');
    expect(clip).toMatchObject({
      gameClipId: reservation.gameClipId,
      userCaption: 'first',
      xuid: account.xuid,
      scid: account.scid,
      titleId: Number(account.titleId),
      type: 'UserGenerated',
      source: 'TitleDirect',
      visibility: 'Default',
      durationInSeconds: 30,
      savedByUser: false,
      deviceType: 'Win32',
      thumbnails: [],
    });
    const uris = clip.gameClipUris as { uri: string; fileSize: number; uriType: string }[];
    expect(uris).toHaveLength(1);
    expect(uris[0]).toMatchObject({ fileSize: file.length, uriType: 'Download' });
    const downloaded = await fetch(uris[0]!.uri);
    expect(downloaded.status).toBe(200);
    expect(new Uint8Array(await downloaded.arrayBuffer())).toEqual(file);
  });

  it('answers exactly one 201 when every block arrives at once', async () => {
    const blocks = 12;
    const file = pattern(blocks * 1000, 3);
    const reservation = await sandbox.reserve(account, {
      fileSize: file.length,
      expectedBlocks: blocks,
    });
    const answers = await Promise.all(
      Array.from({ length: blocks }, (_, n) =>
        putBlock(reservation.uploadUri, account, n, file.subarray(n * 1000, (n + 1) * 1000)),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 202)).toHaveLength(blocks - 1);
    await sandbox.waitForState(account, reservation.gameClipId, 'Published');
  });

  it('deletes with 204, then answers 404', async () => {
    const reservation = await sandbox.reserve(account);
    const url = sandbox.clipUrl(account, reservation.gameClipId);
    expect((await call(url, { method: 'DELETE', auth: account })).status).toBe(204);
    expect((await call(url, { method: 'DELETE', auth: account })).status).toBe(404);
    expect((await call(url, { auth: account })).status).toBe(404);
    expect((await putBlock(reservation.uploadUri, account, 0, pattern(1000))).status).toBe(410);
  });
});
