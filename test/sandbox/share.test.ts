/**
 * Issue 16, item 2: share pages of the built-in service. A Public/Default clip gets a stable
 * `/share/<id>` page on first ask, with Open Graph tags and its video; revoking makes it 404; an
 * Owner clip has none unless asked; the page needs no token but obeys the Host check (DNS
 * rebinding) and reveals nothing but that clip.
 */
import { request as httpRequest } from 'node:http';
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
let owner: AccountInfo;
let stranger: AccountInfo;

async function publish(overrides: Record<string, unknown>, bytes: Uint8Array): Promise<string> {
  const reserved = await sandbox.reserve(owner, {
    fileSize: bytes.length,
    expectedBlocks: 1,
    ...overrides,
  });
  expect((await putBlock(reserved.uploadUri, owner, 0, bytes)).status).toBe(201);
  await sandbox.waitForState(owner, reserved.gameClipId, 'Published');
  return reserved.gameClipId;
}

function shareUrl(id: string, as: AccountInfo = owner): string {
  return `${sandbox.clipUrl(as, id)}/share`;
}

/** A GET with a Host header of our choosing (fetch does not let us set one). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { Host: host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  sandbox = await openSandbox();
  owner = await sandbox.account({ gamertag: 'SecretTag' });
  stranger = await sandbox.account();
});
afterAll(() => sandbox.close());

describe('share pages', () => {
  it('gives a Default clip a stable page with Open Graph tags and the exact video bytes', async () => {
    const bytes = pattern(4096, 7);
    const id = await publish({ visibility: 'Default', userCaption: 'Ace <clutch> & "win"' }, bytes);
    const first = await call(shareUrl(id), { auth: owner });
    expect(first.status, first.text).toBe(200);
    const share = first.body as { shareId: string; shareUrl: string };
    expect(share.shareId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(share.shareUrl).toBe(`${sandbox.baseUrl}/share/${share.shareId}`);
    // Stable: asked again, the same page.
    expect(((await call(shareUrl(id), { auth: owner })).body as { shareId: string }).shareId).toBe(
      share.shareId,
    );

    // The public page: no token at all.
    const page = await fetch(share.shareUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<meta property="og:type" content="video.other">');
    expect(html).toContain(
      '<meta property="og:title" content="Ace &lt;clutch&gt; &amp; &quot;win&quot;">',
    );
    expect(html).toContain(`<meta property="og:video" content="${share.shareUrl}/video">`);
    expect(html).toContain(`<meta property="og:url" content="${share.shareUrl}">`);
    expect(html).not.toContain('<clutch>');
    // Only this clip: no owner identity, no signed content links, no clip id.
    expect(html).not.toContain(owner.xuid);
    expect(html).not.toContain('SecretTag');
    expect(html).not.toContain('/content/');
    expect(html).not.toContain(id);

    const video = await fetch(`${share.shareUrl}/video`);
    expect(video.status).toBe(200);
    expect(Buffer.from(await video.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    const part = await fetch(`${share.shareUrl}/video`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(bytes.subarray(10, 20)))).toBe(
      true,
    );
  });

  it('revoking makes the page and its video 404, and a new share gets a new id', async () => {
    const id = await publish({ visibility: 'Public' }, pattern(512, 3));
    const share = (await call(shareUrl(id), { auth: owner })).body as { shareUrl: string };
    expect((await fetch(share.shareUrl)).status).toBe(200);
    // A stranger cannot revoke it.
    expect((await call(shareUrl(id, stranger), { method: 'DELETE', auth: stranger })).status).toBe(
      404,
    );
    expect((await call(shareUrl(id), { method: 'DELETE', auth: owner })).status).toBe(204);
    expect((await fetch(share.shareUrl)).status).toBe(404);
    expect((await fetch(`${share.shareUrl}/video`)).status).toBe(404);
    // Revoked stays revoked: no automatic page comes back.
    expect((await call(shareUrl(id), { auth: owner })).status).toBe(404);
    const again = await call(shareUrl(id), { method: 'POST', auth: owner });
    expect(again.status).toBe(200);
    expect((again.body as { shareUrl: string }).shareUrl).not.toBe(share.shareUrl);
    expect((await fetch(share.shareUrl)).status).toBe(404);
    expect((await fetch((again.body as { shareUrl: string }).shareUrl)).status).toBe(200);
  });

  it('an Owner clip has no share page until the owner asks for one', async () => {
    const id = await publish({ visibility: 'Owner' }, pattern(256, 5));
    expect((await call(shareUrl(id), { auth: owner })).status).toBe(404);
    const made = await call(shareUrl(id), { method: 'POST', auth: owner });
    expect(made.status).toBe(200);
    expect((await fetch((made.body as { shareUrl: string }).shareUrl)).status).toBe(200);
  });

  it('a deleted clip takes its page with it; unknown ids are 404', async () => {
    const id = await publish({ visibility: 'Public' }, pattern(256, 9));
    const share = (await call(shareUrl(id), { auth: owner })).body as { shareUrl: string };
    expect((await call(sandbox.clipUrl(owner, id), { method: 'DELETE', auth: owner })).status).toBe(
      204,
    );
    expect((await fetch(share.shareUrl)).status).toBe(404);
    expect((await fetch(`${sandbox.baseUrl}/share/AAAAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await fetch(`${sandbox.baseUrl}/share/..%2f..%2fregistry.json`)).status).toBe(404);
  });

  it('obeys the Host check: a DNS-rebinding name is refused', async () => {
    const id = await publish({ visibility: 'Public' }, pattern(256, 11));
    const share = (await call(shareUrl(id), { auth: owner })).body as { shareUrl: string };
    expect(await getWithHost(share.shareUrl, `127.0.0.1:${sandbox.running.port}`)).toBe(200);
    expect(await getWithHost(share.shareUrl, `evil.example:${sandbox.running.port}`)).toBe(421);
  });

  it('survives a restart with the same link', async () => {
    const id = await publish({ visibility: 'Public' }, pattern(256, 13));
    const share = (await call(shareUrl(id), { auth: owner })).body as { shareId: string };
    await sandbox.restart();
    expect((await fetch(`${sandbox.baseUrl}/share/${share.shareId}`)).status).toBe(200);
  });
});
