/**
 * The reserve call (step 1, 3.1, section 6 steps 3-5): every body rule and limit, strict and
 * lenient modes, the response shape, quota and FIFO storage, rate limiting and reservation TTL.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitialUploadResponseSchema } from '../../app/gameclips/wire';
import { SANDBOX_ERROR_CODES } from '../../main/sandbox/index';
import {
  call,
  expectError,
  openSandbox,
  pattern,
  putBlock,
  reserveBody,
  send,
  type AccountInfo,
  type Answer,
  type TestSandbox,
} from './support';

const FIXTURES = fileURLToPath(new URL('../../../shared/spec/fixtures/', import.meta.url));
const MIB2 = 2_097_152;

let sandbox: TestSandbox;
let strict: TestSandbox;
let account: AccountInfo;
let strictAccount: AccountInfo;

beforeAll(async () => {
  [sandbox, strict] = await Promise.all([openSandbox(), openSandbox({ strict: true })]);
  account = await sandbox.account();
  strictAccount = await strict.account();
});
afterAll(() => Promise.all([sandbox.close(), strict.close()]));

function reserveOn(target: TestSandbox, user: AccountInfo, body: unknown): Promise<Answer> {
  return call(target.url(`/users/me/scids/${user.scid}/clips`), { auth: user, json: body });
}

const reserve = (body: unknown): Promise<Answer> => reserveOn(sandbox, account, body);

describe('InitialUploadRequest rules (3.1)', () => {
  const invalid: [string, Record<string, unknown>][] = [
    ['a caption of 251 characters', { userCaption: 'x'.repeat(251) }],
    ['a caption that is not a string', { userCaption: 5 }],
    ['fileSize 0', { fileSize: 0 }],
    ['a negative fileSize', { fileSize: -1 }],
    ['fileSize past uint32', { fileSize: 4_294_967_296, expectedBlocks: 2049 }],
    ['a fractional fileSize', { fileSize: 10.5 }],
    ['fileSize as a string', { fileSize: '1000' }],
    ['no fileSize', { fileSize: undefined }],
    ['durationInSeconds 0', { durationInSeconds: 0 }],
    ['durationInSeconds past uint32', { durationInSeconds: 4_294_967_296 }],
    ['no durationInSeconds', { durationInSeconds: undefined }],
    ['expectedBlocks 0', { expectedBlocks: 0 }],
    ['expectedBlocks 65536', { expectedBlocks: 65_536 }],
    ['too few blocks for fileSize', { fileSize: MIB2 * 3 + 1, expectedBlocks: 3 }],
    ['no dateRecorded', { dateRecorded: undefined }],
    ['a dateRecorded that is not a date', { dateRecorded: 'yesterday' }],
    ['type None', { type: 'None' }],
    ['an unknown type', { type: 'UserGenerated, Bogus' }],
    ['an empty type', { type: '' }],
    ['no type', { type: undefined }],
    ['source None', { source: 'None' }],
    ['an unknown source', { source: 'Phone' }],
    ['visibility None', { visibility: 'None' }],
    ['an unknown visibility', { visibility: 'Friends' }],
    ['titleData of 10,241 bytes', { titleData: 'x'.repeat(10_241) }],
    ['titleData of 10,241 UTF-8 bytes in fewer characters', { titleData: 'é'.repeat(5120) + 'x' }],
    ['an unknown thumbnailSource', { thumbnailSource: 'Camera' }],
    ['Offset without thumbnailOffsetMillseconds', { thumbnailSource: 'Offset' }],
    [
      'an offset past the end of the clip',
      { thumbnailSource: 'Offset', thumbnailOffsetMillseconds: 30_001 },
    ],
    ['a negative offset', { thumbnailSource: 'Offset', thumbnailOffsetMillseconds: -1 }],
    ['savedByUser as a string', { savedByUser: 'yes' }],
    ['usersInSession that are not XUIDs', { usersInSession: ['alice'] }],
    [
      'greatestMomentId and clipNameStringId that differ',
      { greatestMomentId: 'a', clipNameStringId: 'b' },
    ],
  ];

  it.each(invalid)('answers 400 for %s', async (_, overrides) => {
    const answer = await reserve(reserveBody(overrides));
    expectError(answer, 400, SANDBOX_ERROR_CODES.invalidRequest);
  });

  const valid: [string, Record<string, unknown>][] = [
    ['a caption of exactly 250 characters', { userCaption: 'x'.repeat(250) }],
    ['a caption of 250 UTF-16 units with emoji', { userCaption: '😀'.repeat(125) }],
    [
      'fileSize 4,294,967,295 (the uint32 maximum)',
      { fileSize: 4_294_967_295, expectedBlocks: 2048 },
    ],
    ['expectedBlocks 65535', { fileSize: 100_000, expectedBlocks: 65_535 }],
    ['exactly enough 2 MiB blocks', { fileSize: MIB2 * 3, expectedBlocks: 3 }],
    ['no expectedBlocks (single-shot)', { expectedBlocks: undefined }],
    ['titleData of exactly 10,240 bytes', { titleData: 'x'.repeat(10_240) }],
    [
      'an offset at the very end',
      { thumbnailSource: 'Offset', thumbnailOffsetMillseconds: 30_000 },
    ],
    ['an offset of 0', { thumbnailSource: 'Offset', thumbnailOffsetMillseconds: 0 }],
    [
      'the alias clipNameStringId alone (A11)',
      { greatestMomentId: undefined, clipNameStringId: '77' },
    ],
    ['both names with one value', { greatestMomentId: '77', clipNameStringId: '77' }],
    ['no greatestMomentId at all', { greatestMomentId: undefined }],
    [
      'enum values in any case',
      { source: 'titledirect', visibility: 'PUBLIC', type: 'usergenerated' },
    ],
    ['a date with fractional seconds and no zone', { dateRecorded: '2017-11-10T07:12:27.4353527' }],
    [
      'an offset ignored with Default source (lenient)',
      { thumbnailSource: 'Default', thumbnailOffsetMillseconds: 5 },
    ],
    ['an unknown member (lenient)', { somethingElse: true }],
    ['usersInSession XUIDs', { usersInSession: ['2716903703773872'] }],
  ];

  it.each(valid)('accepts %s', async (_, overrides) => {
    const answer = await reserve(reserveBody(overrides));
    expect(answer.status, answer.text).toBe(200);
  });

  it('says every problem in one sentence a person can read', async () => {
    const answer = await reserve(reserveBody({ userCaption: 'x'.repeat(300), visibility: 'None' }));
    expectError(answer, 400);
    const message = (answer.body as { errorMessage: string }).errorMessage;
    expect(message).toContain('300 characters');
    expect(message).toContain('visibility None');
  });

  it('normalizes comma-delimited types as "A, B" (4.1)', async () => {
    const reservation = (await reserve(reserveBody({ type: 'MagicMoment,achievement' }))).body as {
      gameClipId: string;
    };
    const clip = await call(sandbox.clipUrl(account, reservation.gameClipId), { auth: account });
    expect((clip.body as { gameClip: { type: string } }).gameClip.type).toBe(
      'MagicMoment, Achievement',
    );
  });

  it('accepts both documentation samples as they are (the fixtures)', async () => {
    for (const name of [
      'docs-sample-initialuploadrequest.jsonref.json',
      'docs-sample-initialuploadrequest.postpage.json',
    ]) {
      const body = JSON.parse(await readFile(`${FIXTURES}${name}`, 'utf8')) as Record<
        string,
        unknown
      >;
      const answer = await reserve(body);
      expect(answer.status, `${name}: ${answer.text}`).toBe(200);
      const clip = await call(
        sandbox.clipUrl(account, (answer.body as { gameClipId: string }).gameClipId),
        { auth: account },
      );
      const gameClip = (clip.body as { gameClip: Record<string, unknown> }).gameClip;
      expect(gameClip.greatestMomentId).toBe(body.greatestMomentId ?? body.clipNameStringId);
      expect(gameClip.titleData).toBe(body.titleData);
      expect(gameClip.systemProperties).toBe(body.systemProperties);
    }
  });
});

describe('bodies the reserve call cannot read', () => {
  it('answers 400 for JSON that does not parse, and for a body that is not an object', async () => {
    const broken = await call(sandbox.url(`/users/me/scids/${account.scid}/clips`), {
      auth: account,
      bytes: new TextEncoder().encode('{"fileSize":'),
      headers: { 'Content-Type': 'application/json' },
    });
    expectError(broken, 400);
    expectError(await reserve([1, 2]), 400);
    expectError(await reserve('text'), 400);
    const empty = await call(sandbox.url(`/users/me/scids/${account.scid}/clips`), {
      auth: account,
      method: 'POST',
    });
    expectError(empty, 400);
  });

  it('caps JSON bodies at 64 KiB', async () => {
    const huge = reserveBody({ sessionRef: 'x'.repeat(64 * 1024) });
    const answer = await reserve(huge);
    expectError(answer, 400, SANDBOX_ERROR_CODES.bodyTooLarge);
    // The connection stays usable for the next call.
    expect((await reserve(reserveBody())).status).toBe(200);
  });

  it('takes a body without Content-Type in lenient mode, wants application/json in strict mode, and refuses text/plain in both (415, issue 14)', async () => {
    const body = JSON.stringify(reserveBody());
    const headers = (user: AccountInfo): Record<string, string> => ({
      Authorization: user.authorization,
      'X-RequestedServiceVersion': '1',
      Accept: 'application/json',
    });
    const lenientUrl = sandbox.url(`/users/me/scids/${account.scid}/clips`);
    const strictUrl = strict.url(`/users/me/scids/${strictAccount.scid}/clips`);
    expect((await send(lenientUrl, 'POST', headers(account), body)).status).toBe(200);
    expect((await send(strictUrl, 'POST', headers(strictAccount), body)).status).toBe(400);
    for (const [url, user] of [
      [lenientUrl, account],
      [strictUrl, strictAccount],
    ] as const) {
      const plain = await send(
        url,
        'POST',
        { ...headers(user), 'Content-Type': 'text/plain' },
        body,
      );
      expect(plain.status, plain.text).toBe(415);
      expect((plain.body as { errorCode: number }).errorCode).toBe(
        SANDBOX_ERROR_CODES.unsupportedMediaType,
      );
    }
  });
});

describe('strict mode (section 6)', () => {
  it('refuses unknown members and an offset without the Offset source', async () => {
    expectError(await reserveOn(strict, strictAccount, reserveBody({ somethingElse: 1 })), 400);
    expectError(
      await reserveOn(
        strict,
        strictAccount,
        reserveBody({ thumbnailSource: 'Default', thumbnailOffsetMillseconds: 5 }),
      ),
      400,
    );
    expect((await reserveOn(strict, strictAccount, reserveBody())).status).toBe(200);
  });
});

describe('InitialUploadResponse (3.2)', () => {
  it('returns thumbnail URIs only for Upload (A9), and clipName and titleName always', async () => {
    for (const thumbnailSource of ['Default', 'Offset', 'Upload']) {
      const answer = await reserve(
        reserveBody({
          thumbnailSource,
          greatestMomentId: 'moment',
          ...(thumbnailSource === 'Offset' ? { thumbnailOffsetMillseconds: 1000 } : {}),
        }),
      );
      expect(answer.status).toBe(200);
      expect(InitialUploadResponseSchema.safeParse(answer.body).success).toBe(true);
      const body = answer.body as Record<string, unknown>;
      expect(body.gameClipId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      expect(body.uploadUri).toBe(
        `${sandbox.baseUrl}/upload/xuid(${account.xuid})/${String(body.gameClipId)}/container`,
      );
      expect('largeThumbnailUri' in body).toBe(thumbnailSource === 'Upload');
      expect('smallThumbnailUri' in body).toBe(thumbnailSource === 'Upload');
      expect(body.clipName).toBe('moment');
      expect(body.titleName).toBe('GameClips Sandbox Title');
    }
  });

  it('is not idempotent: the same body twice gives two clips', async () => {
    const first = (await reserve(reserveBody())).body as { gameClipId: string };
    const second = (await reserve(reserveBody())).body as { gameClipId: string };
    expect(first.gameClipId).not.toBe(second.gameClipId);
  });

  it('takes gameClipLocale from Accept-Language', async () => {
    const answer = await call(sandbox.url(`/users/me/scids/${account.scid}/clips`), {
      auth: account,
      json: reserveBody(),
      headers: { 'Accept-Language': 'zh-TW,zh;q=0.9' },
    });
    const clip = await call(
      sandbox.clipUrl(account, (answer.body as { gameClipId: string }).gameClipId),
      { auth: account },
    );
    expect((clip.body as { gameClip: { gameClipLocale: string } }).gameClip.gameClipLocale).toBe(
      'zh-TW',
    );
  });
});

describe('quota and FIFO storage (section 6 step 4)', () => {
  it('refuses a saved clip over the count quota with 400 "over quota"', async () => {
    const user = await sandbox.account({ quota: { maxCount: 2 } });
    const saved = reserveBody({ savedByUser: true });
    expect((await reserveOn(sandbox, user, saved)).status).toBe(200);
    expect((await reserveOn(sandbox, user, saved)).status).toBe(200);
    const over = await reserveOn(sandbox, user, saved);
    expectError(over, 400, SANDBOX_ERROR_CODES.overQuota);
    expect((over.body as { errorMessage: string }).errorMessage).toMatch(/over quota/i);
    // Unsaved clips do not count against the quota.
    expect((await reserveOn(sandbox, user, reserveBody({ savedByUser: false }))).status).toBe(200);
  });

  it('gives the last free slot to exactly one of several simultaneous reservations', async () => {
    const user = await sandbox.account({ quota: { maxCount: 1 } });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => reserveOn(sandbox, user, reserveBody({ savedByUser: true }))),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 400)).toHaveLength(5);
  });

  it('refuses a saved clip over the byte quota, and frees room when one is deleted', async () => {
    const user = await sandbox.account({ quota: { maxBytes: 5000 } });
    const first = await reserveOn(
      sandbox,
      user,
      reserveBody({ savedByUser: true, fileSize: 3000, expectedBlocks: 1 }),
    );
    expect(first.status).toBe(200);
    const body = reserveBody({ savedByUser: true, fileSize: 2001, expectedBlocks: 1 });
    expectError(await reserveOn(sandbox, user, body), 400, SANDBOX_ERROR_CODES.overQuota);
    const id = (first.body as { gameClipId: string }).gameClipId;
    expect((await call(sandbox.clipUrl(user, id), { auth: user, method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await reserveOn(sandbox, user, body)).status).toBe(200);
  });

  it('evicts the oldest unsaved clips instead of failing', async () => {
    const user = await sandbox.account({ quota: { fifoMaxCount: 2 } });
    const ids: string[] = [];
    const uris: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await reserveOn(sandbox, user, reserveBody());
      expect(answer.status).toBe(200);
      ids.push((answer.body as { gameClipId: string }).gameClipId);
      uris.push((answer.body as { uploadUri: string }).uploadUri);
    }
    expectError(await call(sandbox.clipUrl(user, ids[0]!), { auth: user }), 404);
    expectError(await putBlock(uris[0]!, user, 0, pattern(1000)), 410, SANDBOX_ERROR_CODES.gone);
    expect((await call(sandbox.clipUrl(user, ids[2]!), { auth: user })).status).toBe(200);
    const list = await call(sandbox.url('/users/me/clips'), { auth: user });
    expect((list.body as { gameClips: unknown[] }).gameClips).toHaveLength(2);
  });

  it('refuses an unsaved clip larger than the whole FIFO storage', async () => {
    const user = await sandbox.account({ quota: { fifoMaxBytes: 999 } });
    expectError(await reserveOn(sandbox, user, reserveBody()), 400, SANDBOX_ERROR_CODES.overQuota);
  });
});

describe('fine-grained rate limiting (5.3)', () => {
  it('is off by default', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => call(sandbox.url('/users/me/clips'), { auth: account })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
  });

  it('answers 429 with Retry-After and the FGRL body, counting reads and writes apart', async () => {
    const limited = await openSandbox({ rateLimit: { burst: 3, sustain: 100 } });
    try {
      const user = await limited.account();
      const list = (): Promise<Answer> => call(limited.url('/users/me/clips'), { auth: user });
      for (let i = 0; i < 3; i++) expect((await list()).status).toBe(200);
      const refused = await list();
      expectError(refused, 429, SANDBOX_ERROR_CODES.rateLimited);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(15);
      expect(refused.body).toMatchObject({
        version: 1,
        currentRequests: 4,
        maxRequests: 3,
        periodInSeconds: 15,
        limitType: 'Rate',
      });
      // Writes have their own counter.
      expect((await reserveOn(limited, user, reserveBody())).status).toBe(200);
      // Another user is not affected.
      const second = await limited.account();
      expect((await call(limited.url('/users/me/clips'), { auth: second })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('reservation TTL (section 6 step 5)', () => {
  it('answers 410 to PUTs once the reservation has expired, and forgets the clip', async () => {
    const expiring = await openSandbox({ reservationTtlMs: 0 });
    try {
      const user = await expiring.account();
      const reservation = await expiring.reserve(user);
      const answer = await putBlock(reservation.uploadUri, user, 0, pattern(1000));
      expectError(answer, 410, SANDBOX_ERROR_CODES.gone);
      expect((answer.body as { errorMessage: string }).errorMessage).toMatch(/expired/);
      expectError(await call(expiring.clipUrl(user, reservation.gameClipId), { auth: user }), 404);
    } finally {
      await expiring.close();
    }
  });
});
