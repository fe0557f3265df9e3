/**
 * Issue 18, item 5: the reserve call's reference page (`POST /users/me/scids/{scid}/clips`, spec
 * 1.2-1.6, step 1, 3.1, 3.2), walked section by section as assertions against the STRICT sandbox:
 * remarks, URI parameter, authorization claims, required and optional request headers, request
 * body sample, every status code, response body and its sample.
 *
 * Requests here go through node:http with exactly the headers written, because fetch adds its own
 * (Accept, Accept-Encoding, a text/plain Content-Type) and would hide an omission.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitialUploadResponseSchema } from '../../app/gameclips/wire';
import { SANDBOX_ERROR_CODES } from '../../main/sandbox/index';
import {
  call,
  fullClaims,
  openSandbox,
  pattern,
  reserveBody,
  send,
  signedAuth,
  type AccountInfo,
  type Raw,
  type TestSandbox,
} from './support';

const FIXTURES = fileURLToPath(new URL('../../../shared/spec/fixtures/', import.meta.url));

let strict: TestSandbox;
let user: AccountInfo;
/** The postpage sample body, as printed. */
let sampleRequest: string;
let sampleResponse: Record<string, unknown>;

beforeAll(async () => {
  // Strict, and signed tokens only (the default): claim sets come from POST /sandbox/tokens.
  strict = await openSandbox({ strict: true, allowUnsignedTokens: false });
  user = await strict.account();
  sampleRequest = await readFile(
    `${FIXTURES}docs-sample-initialuploadrequest.postpage.json`,
    'utf8',
  );
  sampleResponse = JSON.parse(
    await readFile(`${FIXTURES}docs-sample-initialuploadresponse.postpage.json`, 'utf8'),
  ) as Record<string, unknown>;
});
afterAll(() => strict.close());

const reserveUrl = (scid = user.scid): string => strict.url(`/users/me/scids/${scid}/clips`);

/** The page's four required request headers, with the values the page gives. */
function pageHeaders(authorization = user.authorization): Record<string, string> {
  return {
    Authorization: authorization,
    'X-RequestedServiceVersion': '1',
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
}

function without(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
}

const body = (overrides: Record<string, unknown> = {}): string =>
  JSON.stringify(reserveBody(overrides));

/** The response headers the page lists, on every answer (errors included). */
function expectPageResponseHeaders(answer: Raw): void {
  if (answer.text.length > 0) expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.headers['cache-control']).toBe('no-cache');
  expect(answer.headers['x-requestedserviceversion']).toBe('1');
  expect(answer.headers.vary).toMatch(/Authorization/);
  expect(answer.headers.vary).toMatch(/X-RequestedServiceVersion/);
  if (answer.status === 429 || answer.status === 503)
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
}

function expectRefused(answer: Raw, status: number, errorCode?: number): void {
  expect(answer.status, answer.text).toBe(status);
  expectPageResponseHeaders(answer);
  const error = answer.body as { errorCode?: unknown; errorMessage?: unknown };
  expect(typeof error.errorCode).toBe('number');
  expect(String(error.errorMessage).length).toBeGreaterThan(10);
  if (errorCode !== undefined) expect(error.errorCode).toBe(errorCode);
}

describe('Remarks', () => {
  it('is not idempotent: the same request twice gives two clips with their own URIs', async () => {
    const first = await send(reserveUrl(), 'POST', pageHeaders(), body());
    const second = await send(reserveUrl(), 'POST', pageHeaders(), body());
    expect([first.status, second.status]).toEqual([200, 200]);
    const [a, b] = [first.body, second.body] as { gameClipId: string; uploadUri: string }[];
    expect(a!.gameClipId).not.toBe(b!.gameClipId);
    expect(a!.uploadUri).not.toBe(b!.uploadUri);
    for (const id of [a!.gameClipId, b!.gameClipId])
      expect((await call(strict.clipUrl(user, id), { auth: user })).status).toBe(200);
  });

  it('comes before the upload: an upload URI that was never reserved is 404, a reserved one takes the bits', async () => {
    const reserved = (await send(reserveUrl(), 'POST', pageHeaders(), body({ fileSize: 16 })))
      .body as { gameClipId: string; uploadUri: string };
    const neverIssued = reserved.uploadUri.replace(
      reserved.gameClipId,
      '00000000-0000-4000-8000-000000000000',
    );
    const headers = {
      Authorization: user.authorization,
      'X-RequestedServiceVersion': '1',
      'Content-Type': 'application/octet-stream',
    };
    expect((await send(`${neverIssued}?blockNum=0`, 'PUT', headers, pattern(16))).status).toBe(404);
    expect(
      (await send(`${reserved.uploadUri}?blockNum=0`, 'PUT', headers, pattern(16))).status,
    ).toBe(201);
  });
});

describe('URI parameters: scid', () => {
  it("takes the caller's own SCID, refuses a SCID that is not a GUID (400) and another title's (403)", async () => {
    expect((await send(reserveUrl(), 'POST', pageHeaders(), body())).status).toBe(200);
    expectRefused(
      await send(reserveUrl('not-a-guid'), 'POST', pageHeaders(), body()),
      400,
      SANDBOX_ERROR_CODES.invalidRequest,
    );
    const other = await strict.account({ titleId: '305419896' });
    expectRefused(
      await send(reserveUrl(other.scid), 'POST', pageHeaders(), body()),
      403,
      SANDBOX_ERROR_CODES.scidMismatch,
    );
  });
});

describe('Authorization: the claims the page requires', () => {
  const required = ['Xuid', 'DeviceType', 'DeviceId', 'TitleId', 'TitleSandboxId'] as const;

  it.each(required)('answers 403 to a token without %s', async (claim) => {
    const claims = fullClaims(user);
    delete claims[claim];
    expectRefused(
      await send(reserveUrl(), 'POST', pageHeaders(await signedAuth(strict, claims)), body()),
      403,
      SANDBOX_ERROR_CODES.missingClaims,
    );
  });

  it('answers 403 when the DeviceType is not a device that may upload', async () => {
    const claims = { ...fullClaims(user), DeviceType: 'Android' };
    expectRefused(
      await send(reserveUrl(), 'POST', pageHeaders(await signedAuth(strict, claims)), body()),
      403,
      SANDBOX_ERROR_CODES.deviceNotAllowed,
    );
  });

  it('takes a token carrying all five', async () => {
    const answer = await send(
      reserveUrl(),
      'POST',
      pageHeaders(await signedAuth(strict, fullClaims(user))),
      body(),
    );
    expect(answer.status, answer.text).toBe(200);
  });
});

describe('Required request headers', () => {
  it('takes the four required headers and nothing else', async () => {
    const answer = await send(reserveUrl(), 'POST', pageHeaders(), body());
    expect(answer.status, answer.text).toBe(200);
    expectPageResponseHeaders(answer);
  });

  it('answers 401 without Authorization, with the documented response headers', async () => {
    const answer = await send(
      reserveUrl(),
      'POST',
      without(pageHeaders(), 'Authorization'),
      body(),
    );
    expectRefused(answer, 401, SANDBOX_ERROR_CODES.unauthorized);
    expect(answer.headers['www-authenticate']).toBe('XBL3.0');
  });

  it('answers 401 to a malformed Authorization', async () => {
    expectRefused(
      await send(reserveUrl(), 'POST', pageHeaders('Xauth=not-a-token'), body()),
      401,
      SANDBOX_ERROR_CODES.unauthorized,
    );
  });

  it.each(['X-RequestedServiceVersion', 'Content-Type', 'Accept'])(
    'answers 400 without %s',
    async (name) => {
      expectRefused(
        await send(reserveUrl(), 'POST', without(pageHeaders(), name), body()),
        400,
        SANDBOX_ERROR_CODES.invalidRequest,
      );
    },
  );

  it('answers 415 to another Content-Type (issue 14), 400 to an Accept that does not take JSON, 406 to an unknown version', async () => {
    expectRefused(
      await send(reserveUrl(), 'POST', { ...pageHeaders(), 'Content-Type': 'text/plain' }, body()),
      415,
      SANDBOX_ERROR_CODES.unsupportedMediaType,
    );
    expectRefused(
      await send(reserveUrl(), 'POST', { ...pageHeaders(), Accept: 'text/html' }, body()),
      400,
    );
    expectRefused(
      await send(
        reserveUrl(),
        'POST',
        { ...pageHeaders(), 'X-RequestedServiceVersion': '99' },
        body(),
      ),
      406,
      SANDBOX_ERROR_CODES.versionNotSupported,
    );
  });

  it('x-xbl-contract-version alone does not stand in for X-RequestedServiceVersion in strict mode', async () => {
    const headers = { ...without(pageHeaders(), 'X-RequestedServiceVersion') };
    headers['x-xbl-contract-version'] = '1';
    expectRefused(await send(reserveUrl(), 'POST', headers, body()), 400);
  });
});

describe('Optional request headers', () => {
  it('takes Accept-Encoding: gzip, deflate (and answers uncompressed, which the header allows)', async () => {
    const answer = await send(
      reserveUrl(),
      'POST',
      { ...pageHeaders(), 'Accept-Encoding': 'gzip, deflate' },
      body(),
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
  });
});

describe('Request body: the sample as printed', () => {
  it('accepts the page sample byte for byte, and keeps what it says', async () => {
    expect(sampleRequest).toContain('"type": "MagicMoment, Achievement"');
    expect(sampleRequest).toContain('"source": "Console"');
    const sample = JSON.parse(sampleRequest) as Record<string, unknown>;
    expect(sample.thumbnailSource).toBe('Offset');
    expect(sample.thumbnailOffsetMillseconds).toBe(20000);
    const answer = await send(reserveUrl(), 'POST', pageHeaders(), sampleRequest);
    expect(answer.status, answer.text).toBe(200);
    const { gameClipId } = answer.body as { gameClipId: string };
    const got = await call(strict.clipUrl(user, gameClipId), { auth: user });
    const clip = (got.body as { gameClip: Record<string, unknown> }).gameClip;
    expect(clip).toMatchObject({
      dateRecorded: sample.dateRecorded,
      durationInSeconds: sample.durationInSeconds,
      type: 'MagicMoment, Achievement',
      source: 'Console',
      visibility: sample.visibility,
      userCaption: sample.userCaption,
      titleData: sample.titleData,
      systemProperties: sample.systemProperties,
      savedByUser: false,
      greatestMomentId: sample.clipNameStringId,
    });
  });
});

describe('Response: every status code the page lists (and the two the spec adds)', () => {
  it('200: a reservation', async () => {
    expect((await send(reserveUrl(), 'POST', pageHeaders(), body())).status).toBe(200);
  });

  it('400: an invalid body', async () => {
    expectRefused(await send(reserveUrl(), 'POST', pageHeaders(), body({ fileSize: 0 })), 400);
    expectRefused(await send(reserveUrl(), 'POST', pageHeaders(), '{not json'), 400);
  });

  it('400: over quota', async () => {
    const full = await strict.account({ quota: { maxCount: 0 } });
    const answer = await send(
      reserveUrl(full.scid),
      'POST',
      pageHeaders(full.authorization),
      body({ savedByUser: true }),
    );
    expectRefused(answer, 400, SANDBOX_ERROR_CODES.overQuota);
    expect((answer.body as { errorMessage: string }).errorMessage).toMatch(/over quota/i);
  });

  it('401 and 403: above', async () => {
    expectRefused(
      await send(reserveUrl(), 'POST', without(pageHeaders(), 'Authorization'), body()),
      401,
    );
    const claims = fullClaims(user);
    delete (claims as Record<string, string>).DeviceId;
    expectRefused(
      await send(reserveUrl(), 'POST', pageHeaders(await signedAuth(strict, claims)), body()),
      403,
    );
  });

  it('503: the service is down, with Retry-After', async () => {
    const armed = await call(strict.url('/sandbox/faults'), {
      json: { route: 'reserve', status: 503, retryAfter: 7 },
    });
    expect(armed.status).toBe(201);
    const answer = await send(reserveUrl(), 'POST', pageHeaders(), body());
    expectRefused(answer, 503);
    expect(answer.headers['retry-after']).toBe('7');
  });

  it('429: rate limited, with Retry-After', async () => {
    const limited = await openSandbox({ strict: true, rateLimit: { burst: 1, sustain: 100 } });
    try {
      const someone = await limited.account();
      const url = limited.url(`/users/me/scids/${someone.scid}/clips`);
      expect((await send(url, 'POST', pageHeaders(someone.authorization), body())).status).toBe(
        200,
      );
      const answer = await send(url, 'POST', pageHeaders(someone.authorization), body());
      expectRefused(answer, 429, SANDBOX_ERROR_CODES.rateLimited);
    } finally {
      await limited.close();
    }
  });
});

describe('Response body: InitialUploadResponse and the sample', () => {
  it('has every member of the sample, with the same type, when thumbnails are uploaded', async () => {
    const answer = await send(
      reserveUrl(),
      'POST',
      pageHeaders(),
      body({ thumbnailSource: 'Upload' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const got = answer.body as Record<string, unknown>;
    expect(InitialUploadResponseSchema.safeParse(got).success).toBe(true);
    for (const [key, value] of Object.entries(sampleResponse))
      expect(typeof got[key], key).toBe(typeof value);
    const upload = new URL(got.uploadUri as string);
    expect(upload.origin).toBe(strict.baseUrl);
    expect(upload.pathname).toBe(`/upload/xuid(${user.xuid})/${got.gameClipId}/container`);
    expect(got.largeThumbnailUri).toBe(`${got.uploadUri}/thumbnails/large`);
    expect(got.smallThumbnailUri).toBe(`${got.uploadUri}/thumbnails/small`);
  });

  it('leaves the thumbnail URIs out for the Offset sample (A9: the schema, not the sample)', async () => {
    const answer = await send(reserveUrl(), 'POST', pageHeaders(), sampleRequest);
    const got = answer.body as Record<string, unknown>;
    for (const key of ['gameClipId', 'uploadUri', 'clipName', 'titleName'])
      expect(typeof got[key], key).toBe(typeof sampleResponse[key]);
    expect(got).not.toHaveProperty('largeThumbnailUri');
    expect(got).not.toHaveProperty('smallThumbnailUri');
    // clipName is the sample's string id (no string table here).
    expect(got.clipName).toBe('1193045');
  });

  it('answers errors as ServiceErrorResponse', async () => {
    const answer = await send(reserveUrl(), 'POST', pageHeaders(), body({ visibility: 'None' }));
    expectRefused(answer, 400);
    expect(Object.keys(answer.body as object).sort()).toEqual(['errorCode', 'errorMessage']);
  });
});
