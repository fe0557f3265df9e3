/* eslint-disable @microsoft/sdl/no-insecure-url -- the built-in service is plain http on the LAN address, by design */
/**
 * Issue 16, item 3: "Share on my network". With it on, the built-in service also listens on this
 * computer's non-loopback address and answers there ONLY the share pages (the page, its video with
 * Range, its thumbnail); the API, uploads, content links, the gallery and the admin routes are
 * refused by name. With it off, nothing answers on that address; loopback is the same either way.
 *
 * Real sandbox over real HTTP, a real ffmpeg clip, and this machine's own non-loopback address
 * (skipped, with the reason, only when the machine has none).
 */
import { readFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkAddresses } from '../../app/service/network-share';
import { SANDBOX_ERROR_CODES } from '../../main/sandbox/index';
import { makeClip } from '../support/clips';
import {
  call,
  expectError,
  openSandbox,
  putBlock,
  send,
  type AccountInfo,
  type TestSandbox,
} from './support';

const lan = networkAddresses(networkInterfaces())[0];
const NO_ADDRESS = 'this machine has no non-loopback IPv4 address to listen on';

let sandbox: TestSandbox;
let owner: AccountInfo;
let bytes: Buffer;
let gameClipId: string;
/** The share page's path, `/share/<id>`. */
let sharePath: string;

/** A GET on a fresh connection (no pooled socket) that reports a refused connection. */
function reach(url: string): Promise<number | 'refused'> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error),
    );
  });
}

beforeAll(async () => {
  if (lan === undefined) return;
  sandbox = await openSandbox();
  owner = await sandbox.account();
  const file = await makeClip(path.join(sandbox.root, 'lan clip.mp4'), { seconds: 1 });
  bytes = await readFile(file);
  const reserved = await sandbox.reserve(owner, {
    fileSize: bytes.length,
    expectedBlocks: 1,
    visibility: 'Public',
  });
  expect((await putBlock(reserved.uploadUri, owner, 0, bytes)).status).toBe(201);
  await sandbox.waitForState(owner, reserved.gameClipId, 'Published');
  gameClipId = reserved.gameClipId;
  const share = await call(`${sandbox.clipUrl(owner, gameClipId)}/share`, { auth: owner });
  expect(share.status, share.text).toBe(200);
  sharePath = new URL((share.body as { shareUrl: string }).shareUrl).pathname;
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

describe.skipIf(lan === undefined)(`share on my network (${lan ?? NO_ADDRESS})`, () => {
  it('off (the default): nothing answers on the network address; loopback works', async () => {
    const port = sandbox.running.port;
    expect(await reach(`http://${lan}:${port}${sharePath}`)).toBe('refused');
    expect(await reach(`${sandbox.baseUrl}${sharePath}`)).toBe(200);
  });

  it('on: the share page and its video (same bytes, Range too) answer from the network address', async () => {
    const state = await sandbox.running.shareOnNetwork([lan!]);
    expect(state.failed).toEqual([]);
    expect(state.origins).toEqual([`http://${lan}:${sandbox.running.port}`]);
    const origin = state.origins[0]!;

    const page = await fetch(`${origin}${sharePath}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // The page names the network origin, so a friend's browser and chat previews resolve it.
    expect(html).toContain(`<meta property="og:video" content="${origin}${sharePath}/video">`);
    const video = await fetch(`${origin}${sharePath}/video`);
    expect(video.status).toBe(200);
    expect(Buffer.from(await video.arrayBuffer()).equals(bytes)).toBe(true);
    const part = await fetch(`${origin}${sharePath}/video`, {
      headers: { Range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    // Loopback is exactly as before.
    expect(await reach(`${sandbox.baseUrl}${sharePath}`)).toBe(200);
    const api = await call(`${sandbox.baseUrl}/users/me/scids/${owner.scid}/clips`, {
      auth: owner,
    });
    expect(api.status).toBe(200);
  });

  it('on: the API, uploads, content links, the gallery and admin routes are refused there', async () => {
    const origin = (await sandbox.running.shareOnNetwork([lan!])).origins[0]!;
    const refused = SANDBOX_ERROR_CODES.notOnNetwork;
    // The GameClips API, even with the owner's own token.
    expectError(
      await call(`${origin}/users/me/scids/${owner.scid}/clips`, { auth: owner }),
      403,
      refused,
    );
    expectError(
      await call(`${origin}/users/me/scids/${owner.scid}/clips/${gameClipId}`, { auth: owner }),
      403,
      refused,
    );
    expectError(
      await call(`${origin}/users/me/scids/${owner.scid}/clips/${gameClipId}/share`, {
        method: 'DELETE',
        auth: owner,
      }),
      403,
      refused,
    );
    expectError(
      await call(`${origin}/gameclips/search`, { method: 'POST', json: {} }),
      403,
      refused,
    );
    // The gallery lists the account's clips: this computer only.
    expectError(await call(`${origin}/gallery`), 403, refused);
    // Admin routes (health, accounts, stats).
    expectError(await call(`${origin}/sandbox/health`), 403, refused);
    expectError(await call(`${origin}/sandbox/accounts`, { json: {} }), 403, refused);
    expectError(await call(`${origin}/sandbox/stats`), 403, refused);
    // Uploads and signed content links.
    expectError(
      await call(`${origin}/upload/${owner.xuid}/${gameClipId}/container`, {
        method: 'PUT',
        auth: owner,
        bytes: new Uint8Array(4),
      }),
      403,
      refused,
    );
    expectError(await call(`${origin}/content/${gameClipId}/video`), 403, refused);
    // Another method on the share route itself.
    expectError(await call(`${origin}${sharePath}`, { method: 'POST', json: {} }), 403, refused);
    // The clip is untouched by all that.
    expect((await call(sandbox.clipUrl(owner, gameClipId), { auth: owner })).status).toBe(200);
  });

  it('on: the Host must be the network address itself (a rebinding name is 421)', async () => {
    const origin = (await sandbox.running.shareOnNetwork([lan!])).origins[0]!;
    const port = new URL(origin).port;
    const named = await send(`${origin}${sharePath}`, 'GET', { Host: `evil.example:${port}` });
    expect(named.status).toBe(421);
    const loopbackName = await send(`${origin}${sharePath}`, 'GET', { Host: `127.0.0.1:${port}` });
    expect(loopbackName.status).toBe(421);
    const foreign = await send(`${origin}${sharePath}`, 'GET', {
      Host: `${lan}:${port}`,
      Origin: 'http://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect((await send(`${origin}${sharePath}`, 'GET', { Host: `${lan}:${port}` })).status).toBe(
      200,
    );
  });

  it('turned off again: the network address stops answering at once, loopback keeps working', async () => {
    const on = await sandbox.running.shareOnNetwork([lan!]);
    const origin = on.origins[0]!;
    expect(await reach(`${origin}${sharePath}`)).toBe(200);
    const off = await sandbox.running.shareOnNetwork([]);
    expect(off.origins).toEqual([]);
    expect(await reach(`${origin}${sharePath}`)).toBe('refused');
    expect(await reach(`${sandbox.baseUrl}${sharePath}`)).toBe(200);
    expect((await call(`${sandbox.baseUrl}/sandbox/health`)).status).toBe(200);
  });

  it('an address that is not this computer is reported as failed, not fatal', async () => {
    // 192.0.2.0/24 is TEST-NET-1; .254 is not assigned here (unless it is, then it just listens).
    const other = lan === '192.0.2.254' ? '198.51.100.254' : '192.0.2.254';
    const state = await sandbox.running.shareOnNetwork([lan!, other]);
    expect(state.origins).toEqual([`http://${lan}:${sandbox.running.port}`]);
    expect(state.failed.map((entry) => entry.address)).toEqual([other]);
    expect(state.failed[0]!.reason).toMatch(/EADDRNOTAVAIL/);
    await sandbox.running.shareOnNetwork([]);
  });
});
