/**
 * Issue 16, item 4: `/gallery` lists one account's published clips, newest first, searchable by
 * caption and game, behind a signed link only the account's token can get.
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
let owner: AccountInfo;
let other: AccountInfo;

async function publish(
  as: AccountInfo,
  overrides: Record<string, unknown>,
  seed: number,
): Promise<string> {
  const reserved = await sandbox.reserve(as, { fileSize: 300, expectedBlocks: 1, ...overrides });
  expect((await putBlock(reserved.uploadUri, as, 0, pattern(300, seed))).status).toBe(201);
  await sandbox.waitForState(as, reserved.gameClipId, 'Published');
  return reserved.gameClipId;
}

async function galleryUrl(as: AccountInfo): Promise<string> {
  const answer = await call(sandbox.url('/users/me/gallery'), { auth: as });
  expect(answer.status, answer.text).toBe(200);
  return (answer.body as { galleryUrl: string }).galleryUrl;
}

beforeAll(async () => {
  sandbox = await openSandbox({
    titles: [{ titleId: '1234567', scid: '00000000-0000-0000-0000-0000001e240f', name: 'Halo' }],
  });
  owner = await sandbox.account();
  other = await sandbox.account();
});
afterAll(() => sandbox.close());

describe('gallery', () => {
  it('lists the account’s published clips, newest first, and searches caption and game', async () => {
    const older = await publish(
      owner,
      { userCaption: 'Old triple kill', dateRecorded: '2024-01-01T10:00:00Z' },
      1,
    );
    const newer = await publish(
      owner,
      { userCaption: 'New <ace>', dateRecorded: '2024-03-01T10:00:00Z', visibility: 'Owner' },
      2,
    );
    const unpublished = (await sandbox.reserve(owner, { userCaption: 'Waiting' })).gameClipId;
    const strangers = await publish(other, { userCaption: 'Not mine' }, 3);

    const url = await galleryUrl(owner);
    expect(url.startsWith(`${sandbox.baseUrl}/gallery?`)).toBe(true);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html.indexOf(newer)).toBeGreaterThan(-1);
    expect(html.indexOf(older)).toBeGreaterThan(html.indexOf(newer));
    expect(html).toContain('New &lt;ace&gt;');
    expect(html).not.toContain('<ace>');
    expect(html).not.toContain(unpublished);
    expect(html).not.toContain(strangers);
    expect(html).not.toContain('Not mine');

    const searched = await (await fetch(`${url}&q=triple`)).text();
    expect(searched).toContain(older);
    expect(searched).not.toContain(newer);
  });

  it('searches by game name', async () => {
    const halo = await sandbox.account({ titleId: '1234567' });
    const id = await publish(halo, { userCaption: 'Warthog jump' }, 4);
    const url = await galleryUrl(halo);
    expect(await (await fetch(`${url}&q=halo`)).text()).toContain(id);
    expect(await (await fetch(`${url}&q=minecraft`)).text()).not.toContain(id);
  });

  it('refuses a gallery link that is forged, changed to another account, or missing', async () => {
    const url = new URL(await galleryUrl(owner));
    expect((await fetch(`${sandbox.baseUrl}/gallery`)).status).toBe(403);
    const forged = new URL(url);
    forged.searchParams.set('u', other.xuid);
    expect((await fetch(forged)).status).toBe(403);
    const tampered = new URL(url);
    tampered.searchParams.set('se', String(Number(url.searchParams.get('se')) + 1000));
    expect((await fetch(tampered)).status).toBe(403);
    // Only a token gets a link.
    expect((await call(sandbox.url('/users/me/gallery'))).status).toBe(401);
  });
});
