/**
 * Issue 16, item 7: MediaHub's `POST /gameclips/search`, read with the request of the real captures
 * (OpenXbox xbox-webapi-python: `x-xbl-contract-version: 3`, `{ max, query: "OwnerXuid eq <xuid>",
 * skip }`); every member of the real capture is in the answer, with the same type.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ERROR_CODES } from '../../main/sandbox/index';
import {
  call,
  openSandbox,
  pattern,
  putBlock,
  send,
  type AccountInfo,
  type Raw,
  type TestSandbox,
} from './support';

const FIXTURES = fileURLToPath(new URL('../../../shared/spec/fixtures/', import.meta.url));
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

let sandbox: TestSandbox;
let owner: AccountInfo;
let stranger: AccountInfo;
let capture: Record<string, unknown>;
let publishedId: string;

/** The request the real client sends. */
function search(as: AccountInfo, body: Record<string, unknown>, version = '3'): Promise<Raw> {
  return send(
    sandbox.url('/gameclips/search'),
    'POST',
    {
      Authorization: as.authorization,
      'x-xbl-contract-version': version,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    JSON.stringify(body),
  );
}

beforeAll(async () => {
  sandbox = await openSandbox({ strict: true });
  owner = await sandbox.account();
  stranger = await sandbox.account();
  capture = (
    JSON.parse(
      await readFile(`${FIXTURES}thirdparty-openxbox-mediahub-gameclips-own.json`, 'utf8'),
    ) as { values: Record<string, unknown>[] }
  ).values[0]!;
  const reserved = await sandbox.reserve(owner, {
    fileSize: 100,
    expectedBlocks: 1,
    thumbnailSource: 'Upload',
    visibility: 'Owner',
    dateRecorded: '2018-04-02T19:28:38Z',
    durationInSeconds: 27,
  });
  expect((await putBlock(reserved.uploadUri, owner, 0, pattern(100))).status).toBe(201);
  for (const uri of [reserved.largeThumbnailUri!, reserved.smallThumbnailUri!])
    expect(
      (
        await call(uri, {
          method: 'PUT',
          auth: owner,
          bytes: PNG,
          headers: { 'Content-Type': 'image/png' },
        })
      ).status,
    ).toBe(201);
  await sandbox.waitForState(owner, reserved.gameClipId, 'Published');
  publishedId = reserved.gameClipId;
  // A second clip, still waiting for its bytes, recorded later.
  await sandbox.reserve(owner, { dateRecorded: '2018-04-03T10:00:00Z' });
});
afterAll(() => sandbox.close());

/** typeof, telling null and arrays apart. */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every member of `expected` is in `actual` with the same kind, objects and arrays followed. */
function expectSameShape(actual: unknown, expected: unknown, where: string): void {
  expect(kind(actual), where).toBe(kind(expected));
  if (kind(expected) === 'object')
    for (const [key, value] of Object.entries(expected as Record<string, unknown>))
      expectSameShape((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
  if (kind(expected) === 'array' && (expected as unknown[]).length > 0) {
    const items = actual as unknown[];
    expect(items.length, where).toBeGreaterThan(0);
    expectSameShape(items[0], (expected as unknown[])[0], `${where}[0]`);
  }
}

describe('POST /gameclips/search (MediaHub)', () => {
  it('answers the real request with the real shape: every captured member, same types', async () => {
    const answer = await search(owner, { max: 500, query: `OwnerXuid eq ${owner.xuid}`, skip: 0 });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['x-requestedserviceversion']).toBe('3');
    const values = (answer.body as { values: Record<string, unknown>[] }).values;
    expect(values).toHaveLength(2);
    const published = values.find((value) => value.contentId === publishedId)!;
    expectSameShape(published, capture, 'values[0]');
    // Each locator type of the capture, with the members it has there.
    const locators = published.contentLocators as Record<string, unknown>[];
    for (const expected of capture.contentLocators as Record<string, unknown>[]) {
      const actual = locators.find((item) => item.locatorType === expected.locatorType);
      expectSameShape(actual, expected, `locator ${String(expected.locatorType)}`);
    }
    expect(published).toMatchObject({
      contentState: 'Published',
      ownerXuid: Number(owner.xuid),
      durationInSeconds: 27,
      uploadDeviceType: owner.deviceType,
      titleId: Number(owner.titleId),
    });
    expect((published.contentSegments as { recordDate: string }[])[0]!.recordDate).toBe(
      '2018-04-02T19:28:38Z',
    );
    expect(published.uploadDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    // The download locator works.
    const download = locators.find((item) => item.locatorType === 'Download')!;
    const bytes = await fetch(download.uri as string);
    expect(bytes.status).toBe(200);
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(pattern(100));
  });

  it('pages with skip and max, newest recording first', async () => {
    const first = await search(owner, { max: 1, query: `OwnerXuid eq ${owner.xuid}`, skip: 0 });
    const second = await search(owner, { max: 1, query: `ownerxuid eq ${owner.xuid}`, skip: 1 });
    const ids = [first, second].map((answer) =>
      (answer.body as { values: { contentId: string }[] }).values.map((v) => v.contentId),
    );
    expect(ids[0]).toHaveLength(1);
    expect(ids[1]).toEqual([publishedId]);
    expect(ids[0]).not.toEqual(ids[1]);
  });

  it("shows another user's owner-only clips to nobody else", async () => {
    const answer = await search(stranger, { max: 500, query: `OwnerXuid eq ${owner.xuid}` });
    expect(answer.status).toBe(200);
    expect((answer.body as { values: unknown[] }).values).toEqual([]);
  });

  it('refuses other queries (400), other contract versions (406) and no token (401)', async () => {
    const bad = await search(owner, { query: 'TitleId eq 1', max: 10 });
    expect(bad.status).toBe(400);
    expect((bad.body as { errorCode: number }).errorCode).toBe(SANDBOX_ERROR_CODES.invalidRequest);
    expect((await search(owner, { query: `OwnerXuid eq ${owner.xuid}` }, '1')).status).toBe(406);
    const anonymous = await send(
      sandbox.url('/gameclips/search'),
      'POST',
      { 'x-xbl-contract-version': '3', 'Content-Type': 'application/json' },
      JSON.stringify({ query: `OwnerXuid eq ${owner.xuid}` }),
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['cache-control']).toBe('no-cache');
  });
});
