/**
 * Reading and changing clips (steps 4-5, section 2 "Related operations", section 6): who sees a
 * clip, lists and their paging, the all-or-nothing update, delete, ratings, flag, views, public
 * lists, and downloads with Range.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GameClipSchema, QueryClipsResponseSchema } from '../../app/gameclips/wire';
import { SANDBOX_ERROR_CODES } from '../../main/sandbox/index';
import { Signer } from '../../main/sandbox/signing';
import {
  call,
  expectError,
  openSandbox,
  pattern,
  putBlock,
  type AccountInfo,
  type Answer,
  type TestSandbox,
} from './support';

let sandbox: TestSandbox;
let owner: AccountInfo;
let sameTitle: AccountInfo;
let otherTitle: AccountInfo;

type Clip = Record<string, unknown> & { gameClipId: string; state: string };

beforeAll(async () => {
  sandbox = await openSandbox();
  [owner, sameTitle, otherTitle] = await Promise.all([
    sandbox.account(),
    sandbox.account(),
    sandbox.account({ titleId: 555 }),
  ]);
});
afterAll(() => sandbox.close());

/** Reserves, uploads `bytes` in one block, and waits for Published. */
async function published(
  account: AccountInfo,
  overrides: Record<string, unknown> = {},
  bytes = pattern(1000),
): Promise<Clip> {
  const reservation = await sandbox.reserve(account, {
    fileSize: bytes.length,
    expectedBlocks: 1,
    ...overrides,
  });
  expect((await putBlock(reservation.uploadUri, account, 0, bytes)).status).toBe(201);
  return (await sandbox.waitForState(account, reservation.gameClipId, 'Published')) as Clip;
}

function clipPath(
  account: AccountInfo,
  id: string,
  ownerSegment = `xuid(${account.xuid})`,
): string {
  return sandbox.url(`/users/${ownerSegment}/scids/${account.scid}/clips/${id}`);
}

function clipsOf(answer: Answer): Clip[] {
  expect(answer.status, answer.text).toBe(200);
  return (answer.body as { gameClips: Clip[] }).gameClips;
}

describe('GET single clip: who sees what (section 6)', () => {
  it('emits the union of documented and real members, parseable by the client schema (3.4)', async () => {
    const clip = await published(owner, {
      greatestMomentId: 'gm1',
      titleData: 'td',
      systemProperties: 'sp',
    });
    expect(GameClipSchema.safeParse(clip).success).toBe(true);
    for (const key of [
      'gameClipId',
      'state',
      'datePublished',
      'dateRecorded',
      'lastModified',
      'userCaption',
      'type',
      'source',
      'visibility',
      'durationInSeconds',
      'scid',
      'titleId',
      'rating',
      'ratingCount',
      'views',
      'titleData',
      'systemProperties',
      'savedByUser',
      'achievementId',
      'greatestMomentId',
      'thumbnails',
      'gameClipUris',
      'xuid',
      'clipName',
      'titleName',
      'gameClipLocale',
      'clipContentAttributes',
      'deviceType',
      'commentCount',
      'likeCount',
      'shareCount',
      'partialViews',
    ])
      expect(clip, key).toHaveProperty(key);
    // The client's value as sent (issue 18: no ".000Z" rewrite); the service's own timestamps
    // in the real service's format, seven fraction digits and Z.
    expect(clip.dateRecorded).toBe('2024-01-01T12:00:00Z');
    expect(String(clip.lastModified)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(String(clip.datePublished)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect((clip.gameClipUris as { expiration: string }[])[0]!.expiration).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/,
    );
  });

  it('shows a Published Public or Default clip to anyone, Title only to the same title', async () => {
    for (const [visibility, viewer, visible] of [
      ['Public', otherTitle, true],
      ['Default', otherTitle, true],
      ['Title', sameTitle, true],
      ['Title', otherTitle, false],
      ['Owner', sameTitle, false],
    ] as const) {
      const clip = await published(owner, { visibility });
      const answer = await call(clipPath(owner, clip.gameClipId), { auth: viewer });
      if (visible) expect(answer.status, visibility).toBe(200);
      else expectError(answer, 404, SANDBOX_ERROR_CODES.notFound);
      expect((await call(clipPath(owner, clip.gameClipId, 'me'), { auth: owner })).status).toBe(
        200,
      );
    }
  });

  it('shows a clip that is not yet Published only to its owner', async () => {
    const reservation = await sandbox.reserve(owner, { visibility: 'Public' });
    expect((await call(clipPath(owner, reservation.gameClipId), { auth: owner })).status).toBe(200);
    expectError(await call(clipPath(owner, reservation.gameClipId), { auth: sameTitle }), 404);
  });

  it('answers 404 for another SCID, another owner, an unknown id, and 400 for a bad owner', async () => {
    const clip = await published(owner);
    expectError(
      await call(sandbox.url(`/users/me/scids/${otherTitle.scid}/clips/${clip.gameClipId}`), {
        auth: owner,
      }),
      404,
    );
    expectError(await call(clipPath(sameTitle, clip.gameClipId), { auth: owner }), 404);
    expectError(
      await call(clipPath(owner, '6b364924-5650-480f-86a7-fc002a1ee752'), { auth: owner }),
      404,
    );
    expectError(await call(clipPath(owner, 'not-a-guid-000'), { auth: owner }), 404);
    expectError(await call(clipPath(owner, clip.gameClipId, 'gt(someone)'), { auth: owner }), 400);
    expectError(
      await call(clipPath(owner, clip.gameClipId, `xuid(${'1'.repeat(21)})`), { auth: owner }),
      400,
    );
  });
});

describe('lists (section 2, 3.6)', () => {
  let lister: AccountInfo;
  let ids: string[];
  beforeAll(async () => {
    lister = await sandbox.account();
    ids = [];
    for (let day = 1; day <= 5; day++) {
      const clip = await published(lister, {
        dateRecorded: `2024-02-0${day}T10:00:00Z`,
        visibility: day === 5 ? 'Owner' : 'Public',
        savedByUser: day % 2 === 0,
        type: day === 1 ? 'DeveloperInitiated' : 'UserGenerated',
      });
      ids.push(clip.gameClipId);
    }
    await sandbox.reserve(lister, { dateRecorded: '2024-03-01T10:00:00Z' });
  });

  it("lists the owner's clips newest first, including ones not yet published", async () => {
    const answer = await call(sandbox.url('/users/me/clips'), { auth: lister });
    expect(QueryClipsResponseSchema.safeParse(answer.body).success).toBe(true);
    const clips = clipsOf(answer);
    expect(clips).toHaveLength(6);
    expect(clips[0]!.state).toBe('PendingUpload');
    expect(clips.slice(1).map((clip) => clip.gameClipId)).toEqual([...ids].reverse());
    expect((answer.body as { pagingInfo: unknown }).pagingInfo).toEqual({
      continuationToken: null,
      totalItems: 6,
    });
  });

  it('orders ascending with order=A', async () => {
    const clips = clipsOf(await call(sandbox.url('/users/me/clips?order=A'), { auth: lister }));
    expect(clips.slice(0, 5).map((clip) => clip.gameClipId)).toEqual(ids);
  });

  it('pages with maxItems and a continuation token of at most 32 characters', async () => {
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const query: string = `?maxItems=2${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const answer = await call(sandbox.url(`/users/me/clips${query}`), { auth: lister });
      const clips = clipsOf(answer);
      expect(clips.length).toBeLessThanOrEqual(2);
      seen.push(...clips.map((clip) => clip.gameClipId));
      token = (answer.body as { pagingInfo: { continuationToken: string | null } }).pagingInfo
        .continuationToken;
      if (token !== null) expect(token.length).toBeLessThanOrEqual(32);
      pages++;
    } while (token !== null);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(6);
  });

  it('skips with skipItems, and lets a continuation token take precedence', async () => {
    const all = clipsOf(await call(sandbox.url('/users/me/clips'), { auth: lister }));
    const skipped = clipsOf(
      await call(sandbox.url('/users/me/clips?skipItems=4'), { auth: lister }),
    );
    expect(skipped.map((clip) => clip.gameClipId)).toEqual(
      all.slice(4).map((clip) => clip.gameClipId),
    );
    const first = await call(sandbox.url('/users/me/clips?maxItems=1'), { auth: lister });
    const token = (first.body as { pagingInfo: { continuationToken: string } }).pagingInfo
      .continuationToken;
    const both = clipsOf(
      await call(sandbox.url(`/users/me/clips?maxItems=1&skipItems=4&continuationToken=${token}`), {
        auth: lister,
      }),
    );
    expect(both[0]!.gameClipId).toBe(all[1]!.gameClipId);
  });

  it('answers 400 for bad paging and filter parameters', async () => {
    for (const query of [
      'skipItems=-1',
      'maxItems=abc',
      'order=X',
      'qualifier=best',
      'type=Bogus',
      `continuationToken=${'a'.repeat(37)}`,
      'continuationToken=forged.AAAAAAAAAAAAAAAA',
    ])
      expectError(await call(sandbox.url(`/users/me/clips?${query}`), { auth: lister }), 400);
    // A token from one list is refused by another.
    const first = await call(sandbox.url('/users/me/clips?maxItems=1'), { auth: lister });
    const token = (first.body as { pagingInfo: { continuationToken: string } }).pagingInfo
      .continuationToken;
    expectError(
      await call(sandbox.url(`/users/me/clips?order=A&continuationToken=${token}`), {
        auth: lister,
      }),
      400,
    );
  });

  it('filters by type, saved, SCID and title', async () => {
    expect(
      clipsOf(
        await call(sandbox.url('/users/me/clips?type=DeveloperInitiated'), { auth: lister }),
      ).map((c) => c.gameClipId),
    ).toEqual([ids[0]]);
    expect(
      clipsOf(await call(sandbox.url('/users/me/clips/saved'), { auth: lister })),
    ).toHaveLength(2);
    expect(
      clipsOf(
        await call(sandbox.url(`/users/me/scids/${lister.scid}/clips/saved`), { auth: lister }),
      ),
    ).toHaveLength(2);
    expect(
      clipsOf(await call(sandbox.url(`/users/me/scids/${lister.scid}/clips`), { auth: lister })),
    ).toHaveLength(6);
    expect(
      clipsOf(
        await call(sandbox.url(`/users/me/titles/${lister.titleId}/clips`), { auth: lister }),
      ),
    ).toHaveLength(6);
    expect(
      clipsOf(
        await call(sandbox.url(`/users/me/titles/${lister.titleId}/clips/saved`), { auth: lister }),
      ),
    ).toHaveLength(2);
    expect(
      clipsOf(await call(sandbox.url('/users/me/titles/555/clips'), { auth: lister })),
    ).toHaveLength(0);
    expect(
      clipsOf(await call(sandbox.url('/users/me/clips?eventId=e1'), { auth: lister })),
    ).toHaveLength(0);
    expectError(await call(sandbox.url('/users/me/titles/abc/clips'), { auth: lister }), 400);
  });

  it('shows another user only the published clips they may see', async () => {
    const clips = clipsOf(
      await call(sandbox.url(`/users/xuid(${lister.xuid})/clips`), { auth: sameTitle }),
    );
    expect(clips.map((clip) => clip.gameClipId).sort()).toEqual(ids.slice(0, 4).sort());
  });

  it('orders by views and rating with the qualifier', async () => {
    const viewed = ids[1]!;
    const base = sandbox.url(`/users/xuid(${lister.xuid})/scids/${lister.scid}/clips`);
    for (let i = 0; i < 3; i++)
      expect(
        (await call(`${base}/${viewed}/views`, { method: 'POST', auth: sameTitle })).status,
      ).toBe(200);
    expect(
      (await call(`${base}/${ids[2]}/ratings/4`, { method: 'POST', auth: sameTitle })).status,
    ).toBe(200);
    expect(
      clipsOf(await call(sandbox.url('/users/me/clips?qualifier=views'), { auth: lister }))[0]!
        .gameClipId,
    ).toBe(viewed);
    expect(
      clipsOf(await call(sandbox.url('/users/me/clips?qualifer=rating'), { auth: lister }))[0]!
        .gameClipId,
    ).toBe(ids[2]);
  });
});

describe('metadata update (step 5)', () => {
  it('changes caption, visibility and titleData, answering 200 with no body', async () => {
    const reservation = await sandbox.reserve(owner);
    const url = clipPath(owner, reservation.gameClipId, 'me');
    const answer = await call(url, {
      auth: owner,
      json: { userCaption: 'new', visibility: 'Public', titleData: "{ 'a': 1 }" },
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const clip = (await call(url, { auth: owner })).body as { gameClip: Clip };
    expect(clip.gameClip).toMatchObject({
      userCaption: 'new',
      visibility: 'Public',
      titleData: "{ 'a': 1 }",
    });
  });

  it('takes the documentation samples (fixtures)', async () => {
    const reservation = await sandbox.reserve(owner);
    const url = clipPath(owner, reservation.gameClipId, 'me');
    const fixtures = path.resolve(import.meta.dirname, '../../../shared/spec/fixtures');
    for (const name of [
      'docs-sample-updatemetadatarequest.caption-visibility.json',
      'docs-sample-updatemetadatarequest.titledata.json',
    ]) {
      const body = JSON.parse(await readFile(path.join(fixtures, name), 'utf8')) as unknown;
      expect((await call(url, { auth: owner, json: body })).status).toBe(200);
    }
    const clip = ((await call(url, { auth: owner })).body as { gameClip: Clip }).gameClip;
    expect(clip).toMatchObject({
      userCaption: "I've changed this 100 Times!",
      visibility: 'Owner',
    });
  });

  it('applies nothing when any field is invalid (all or nothing)', async () => {
    const reservation = await sandbox.reserve(owner, { userCaption: 'before' });
    const url = clipPath(owner, reservation.gameClipId, 'me');
    for (const body of [
      { userCaption: 'after', visibility: 'None' },
      { userCaption: 'x'.repeat(251), visibility: 'Public' },
      { userCaption: 'after', titleData: 'x'.repeat(10_241) },
      { visibility: 'Friends' },
      { userCaption: 42 },
    ]) {
      expectError(await call(url, { auth: owner, json: body }), 400);
    }
    expectError(await call(url, { auth: owner, json: ['x'] }), 400);
    const clip = ((await call(url, { auth: owner })).body as { gameClip: Clip }).gameClip;
    expect(clip).toMatchObject({ userCaption: 'before', visibility: 'Default' });
  });

  it('answers 200 to {} and ignores unknown members (strict mode: 400)', async () => {
    const reservation = await sandbox.reserve(owner);
    const url = clipPath(owner, reservation.gameClipId, 'me');
    expect((await call(url, { auth: owner, json: {} })).status).toBe(200);
    expect((await call(url, { auth: owner, json: { userCaption: 'ok', extra: 1 } })).status).toBe(
      200,
    );
    const strict = await openSandbox({ strict: true });
    try {
      const user = await strict.account();
      const r = await strict.reserve(user);
      const strictUrl = strict.url(`/users/me/scids/${user.scid}/clips/${r.gameClipId}`);
      expectError(await call(strictUrl, { auth: user, json: { extra: 1 } }), 400);
      expect((await call(strictUrl, { auth: user, json: { userCaption: 'ok' } })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('answers 404 for an unknown or deleted clip', async () => {
    const reservation = await sandbox.reserve(owner);
    const url = clipPath(owner, reservation.gameClipId, 'me');
    expect((await call(url, { method: 'DELETE', auth: owner })).status).toBe(204);
    expectError(await call(url, { auth: owner, json: { userCaption: 'x' } }), 404);
  });
});

describe('delete (section 2)', () => {
  it('removes a published clip and its bytes: 204, then 404, and the download link stops working', async () => {
    const clip = await published(owner);
    const uri = (clip.gameClipUris as { uri: string }[])[0]!.uri;
    expect((await fetch(uri)).status).toBe(200);
    const url = clipPath(owner, clip.gameClipId, 'me');
    expect((await call(url, { method: 'DELETE', auth: owner })).status).toBe(204);
    expectError(await call(url, { method: 'DELETE', auth: owner }), 404);
    const after = await call(uri);
    expectError(after, 404);
  });
});

describe('ratings, flag, views (public attributes)', () => {
  it('averages integer ratings, one per rater, and counts views', async () => {
    const clip = await published(owner, { visibility: 'Public' });
    const base = clipPath(owner, clip.gameClipId);
    expect((await call(`${base}/ratings/5`, { method: 'POST', auth: sameTitle })).status).toBe(200);
    expect((await call(`${base}/ratings/2`, { method: 'POST', auth: otherTitle })).status).toBe(
      200,
    );
    expect((await call(`${base}/ratings/4`, { method: 'POST', auth: otherTitle })).status).toBe(
      200,
    );
    expect((await call(`${base}/views`, { method: 'POST', auth: otherTitle })).status).toBe(200);
    const got = ((await call(base, { auth: owner })).body as { gameClip: Clip }).gameClip;
    expect(got).toMatchObject({ rating: 4.5, ratingCount: 2, views: 1 });
  });

  it('answers 400 for a rating that is not 1 to 5', async () => {
    const clip = await published(owner, { visibility: 'Public' });
    for (const rating of ['0', '6', '2.5', 'five'])
      expectError(
        await call(`${clipPath(owner, clip.gameClipId)}/ratings/${rating}`, {
          method: 'POST',
          auth: sameTitle,
        }),
        400,
      );
  });

  it('answers 404 for a clip the caller cannot see and 409 for the owner before publishing', async () => {
    const hidden = await published(owner, { visibility: 'Owner' });
    expectError(
      await call(`${clipPath(owner, hidden.gameClipId)}/views`, {
        method: 'POST',
        auth: sameTitle,
      }),
      404,
    );
    const pending = await sandbox.reserve(owner);
    expectError(
      await call(`${clipPath(owner, pending.gameClipId)}/flag`, { method: 'POST', auth: owner }),
      409,
    );
  });

  it('flags a clip: it turns Flagged and disappears for everyone but the owner', async () => {
    const clip = await published(owner, { visibility: 'Public' });
    expect(
      (await call(`${clipPath(owner, clip.gameClipId)}/flag`, { method: 'POST', auth: sameTitle }))
        .status,
    ).toBe(200);
    expectError(await call(clipPath(owner, clip.gameClipId), { auth: sameTitle }), 404);
    const seen = (
      (await call(clipPath(owner, clip.gameClipId), { auth: owner })).body as { gameClip: Clip }
    ).gameClip;
    expect(seen.state).toBe('Flagged');
  });
});

describe('public lists (section 2)', () => {
  it('need qualifier, refuse ascending order, and show only published public clips', async () => {
    const title = await sandbox.account({ titleId: 777 });
    const other = await sandbox.account({ titleId: 777 });
    const visible = await published(title, { visibility: 'Public', greatestMomentId: 'boss' });
    await published(title, { visibility: 'Owner' });
    const titleOnly = await published(title, { visibility: 'Title', savedByUser: true });
    await sandbox.reserve(title, { visibility: 'Public' });
    const scidList = sandbox.url(`/public/scids/${title.scid}/clips`);
    expectError(await call(scidList, { auth: other }), 400);
    expectError(await call(`${scidList}?qualifier=created&order=A`, { auth: other }), 400);
    const ids = (answer: Answer): string[] =>
      clipsOf(answer)
        .map((clip) => clip.gameClipId)
        .sort();
    expect(ids(await call(`${scidList}?qualifier=created`, { auth: other }))).toEqual(
      [visible.gameClipId, titleOnly.gameClipId].sort(),
    );
    expect(ids(await call(`${scidList}?qualifier=created`, { auth: owner }))).toEqual([
      visible.gameClipId,
    ]);
    expect(
      ids(
        await call(
          sandbox.url('/public/titles/777/clips?qualifier=created&greatestMomentId=boss'),
          { auth: other },
        ),
      ),
    ).toEqual([visible.gameClipId]);
    expect(
      ids(
        await call(sandbox.url('/public/titles/777/clips/saved?qualifier=created'), {
          auth: other,
        }),
      ),
    ).toEqual([titleOnly.gameClipId]);
    expect(
      ids(
        await call(sandbox.url('/public/titles/777/clips?qualifier=created&achievementId=a1'), {
          auth: other,
        }),
      ),
    ).toEqual([]);
  });
});

describe('download (section 2 "Download", 3.7)', () => {
  let clip: Clip;
  let bytes: Uint8Array<ArrayBuffer>;
  let uri: string;
  beforeAll(async () => {
    bytes = pattern(10_000, 21);
    clip = await published(owner, {}, bytes);
    uri = (clip.gameClipUris as { uri: string }[])[0]!.uri;
  });

  it('serves the whole file with 200 and no Authorization, as a SAS link', async () => {
    expect(uri).toContain('sig=');
    const response = await fetch(uri);
    expect(response.status).toBe(200);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-length')).toBe('10000');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it.each([
    ['bytes=0-99', 0, 100],
    ['bytes=9990-', 9990, 10_000],
    ['bytes=-10', 9990, 10_000],
    ['bytes=100-199', 100, 200],
    ['bytes=9000-20000', 9000, 10_000],
  ])('answers 206 with Content-Range for %s', async (range, start, end) => {
    const response = await fetch(uri, { headers: { Range: range } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end - 1}/10000`);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes.subarray(start, end));
  });

  it.each(['bytes=10000-', 'bytes=20000-30000', 'bytes=-0', 'bytes=5-4'])(
    'answers 416 for %s',
    async (range) => {
      const response = await fetch(uri, { headers: { Range: range } });
      const text = await response.text();
      expectError(
        { status: response.status, headers: response.headers, text, body: JSON.parse(text) },
        416,
      );
      expect(response.headers.get('content-range')).toBe('bytes */10000');
      expect(JSON.parse(text)).toMatchObject({ errorSource: 'GameClipsContent' });
    },
  );

  it('ignores a Range header it cannot parse and sends the whole file', async () => {
    const response = await fetch(uri, { headers: { Range: 'pages=1-2' } });
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(10_000);
  });

  it('answers HEAD with headers only', async () => {
    const response = await fetch(uri, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('10000');
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 403 to a tampered or expired link, and a fresh GET gives a working one', async () => {
    const tampered = uri.replace(/sig=[^&]+/, 'sig=AAAA');
    expectError(await call(tampered), 403, SANDBOX_ERROR_CODES.badSignature);
    const unsigned = uri.split('?')[0]!;
    expectError(await call(unsigned), 403);
    const other = uri.replace(clip.gameClipId, (await published(owner)).gameClipId);
    expectError(await call(other), 403);
    const registry = JSON.parse(
      await readFile(path.join(sandbox.dataDir, 'registry.json'), 'utf8'),
    ) as { secret: string };
    const signer = new Signer(Buffer.from(registry.secret, 'base64'));
    const pathname = new URL(uri).pathname;
    const expired = `${sandbox.baseUrl}${pathname}?${signer.contentQuery(pathname, Date.now() - 60_000)}`;
    const answer = await call(expired);
    expectError(answer, 403);
    expect((answer.body as { errorMessage: string }).errorMessage).toMatch(/expired/);
    const fresh = (
      (await call(clipPath(owner, clip.gameClipId), { auth: owner })).body as { gameClip: Clip }
    ).gameClip;
    expect((await fetch((fresh.gameClipUris as { uri: string }[])[0]!.uri)).status).toBe(200);
  });
});
