/* eslint-disable @microsoft/sdl/no-insecure-url -- plain-http addresses are fed in to prove they are refused */
import { describe, expect, it } from 'vitest';
import type { Reservation } from '../../../app/clip/clip';
import {
  BUILT_IN_SERVICE_KEY,
  bindReservation,
  decideReservationUse,
  migrateLegacyBuiltIn,
  serviceKeyOf,
  type ServiceBinding,
} from '../../../app/service/reservation-binding';

function builtIn(port: number, account = 'acct-a'): ServiceBinding {
  const baseUrl = `http://127.0.0.1:${port}`;
  return { serviceKey: BUILT_IN_SERVICE_KEY, account, baseUrl, scope: { serviceOrigin: baseUrl } };
}

function custom(baseUrl: string, account = 'acct-a', uploadHosts?: string[]): ServiceBinding {
  return {
    serviceKey: serviceKeyOf('custom', baseUrl),
    account,
    baseUrl,
    scope: { serviceOrigin: baseUrl, ...(uploadHosts ? { uploadHosts } : {}) },
  };
}

function answer(base: string): Reservation {
  const upload = `${base}/upload/xuid(2)/clip-1/container`;
  return {
    gameClipId: 'clip-1',
    uploadUri: upload,
    largeThumbnailUri: `${upload}/thumbnails/large`,
    smallThumbnailUri: `${upload}/thumbnails/small`,
    serviceUrl: base,
    scid: '00000000-0000-0000-0000-000047435342',
    reservedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('bindReservation', () => {
  it('stores the built-in service URIs as paths, with service and account', () => {
    const bound = bindReservation(answer('http://127.0.0.1:4100'), builtIn(4100));
    expect(bound).toMatchObject({
      uploadUri: '/upload/xuid(2)/clip-1/container',
      largeThumbnailUri: '/upload/xuid(2)/clip-1/container/thumbnails/large',
      serviceKey: 'builtin',
      account: 'acct-a',
    });
    expect(JSON.stringify(bound)).not.toContain(':4100/upload');
  });

  it('keeps a custom service URIs absolute', () => {
    const bound = bindReservation(answer('https://clips.example'), custom('https://clips.example'));
    expect(bound.uploadUri).toBe('https://clips.example/upload/xuid(2)/clip-1/container');
    expect(bound.serviceKey).toBe('https://clips.example');
  });
});

describe('decideReservationUse', () => {
  it('uses a reservation of the same service and account as it is', () => {
    const stored = bindReservation(
      answer('https://clips.example'),
      custom('https://clips.example'),
    );
    const use = decideReservationUse(stored, custom('https://clips.example'));
    expect(use).toMatchObject({ kind: 'use', verify: false });
    expect(use.kind === 'use' && use.uris.uploadUri).toBe(stored.uploadUri);
  });

  it('rebases the built-in service onto its new port and asks it first', () => {
    const stored = bindReservation(answer('http://127.0.0.1:4100'), builtIn(4100));
    const use = decideReservationUse(stored, builtIn(4200));
    expect(use).toMatchObject({
      kind: 'use',
      verify: true,
      uris: {
        uploadUri: 'http://127.0.0.1:4200/upload/xuid(2)/clip-1/container',
        smallThumbnailUri: 'http://127.0.0.1:4200/upload/xuid(2)/clip-1/container/thumbnails/small',
      },
    });
    expect(use.kind === 'use' && use.rebound).toMatchObject({
      serviceUrl: 'http://127.0.0.1:4200',
      uploadUri: '/upload/xuid(2)/clip-1/container',
    });
    // Once rebound, the same port needs no question.
    expect(use.kind === 'use' && decideReservationUse(use.rebound, builtIn(4200))).toMatchObject({
      kind: 'use',
      verify: false,
    });
  });

  it('migrates a record from before binding that holds the built-in service absolute URIs', () => {
    const legacy = answer('http://127.0.0.1:4100');
    const use = decideReservationUse(legacy, builtIn(4300));
    expect(use).toMatchObject({
      kind: 'use',
      verify: true,
      uris: { uploadUri: 'http://127.0.0.1:4300/upload/xuid(2)/clip-1/container' },
      rebound: { serviceKey: 'builtin', uploadUri: '/upload/xuid(2)/clip-1/container' },
    });
  });

  it('re-reserves a clip of another service or another account', () => {
    const onSandbox = bindReservation(answer('http://127.0.0.1:4100'), builtIn(4100));
    expect(decideReservationUse(onSandbox, custom('https://clips.example'))).toEqual({
      kind: 're-reserve',
      code: 'gameclips/reservation-other-service',
    });
    const onA = bindReservation(answer('https://a.example'), custom('https://a.example'));
    expect(decideReservationUse(onA, custom('https://b.example'))).toMatchObject({
      code: 'gameclips/reservation-other-service',
    });
    expect(decideReservationUse(onA, custom('https://a.example', 'acct-b'))).toMatchObject({
      kind: 're-reserve',
      code: 'gameclips/reservation-other-account',
    });
    expect(decideReservationUse(onSandbox, builtIn(4100, 'acct-b'))).toMatchObject({
      code: 'gameclips/reservation-other-account',
    });
    // A record from before binding, made on another origin.
    expect(
      decideReservationUse(answer('https://a.example'), custom('https://b.example')),
    ).toMatchObject({
      code: 'gameclips/reservation-other-service',
    });
    // A loopback custom service's old record is not taken for the built-in one by its origin
    // alone when its URIs point elsewhere.
    const odd = { ...answer('http://127.0.0.1:4100'), uploadUri: 'http://127.0.0.1:9/u' };
    expect(decideReservationUse(odd, builtIn(4200))).toMatchObject({ kind: 're-reserve' });
  });

  it('refuses URIs outside the token scope, even for the same service', () => {
    const stored = {
      ...bindReservation(answer('https://clips.example'), custom('https://clips.example')),
      uploadUri: 'http://clips.example/upload/1',
    };
    expect(decideReservationUse(stored, custom('https://clips.example'))).toMatchObject({
      kind: 'refuse',
      code: 'gameclips/untrusted-address',
    });
    const elsewhere = {
      ...bindReservation(answer('https://clips.example'), custom('https://clips.example')),
      smallThumbnailUri: 'https://cdn.example/t',
    };
    expect(decideReservationUse(elsewhere, custom('https://clips.example'))).toMatchObject({
      kind: 'refuse',
    });
    expect(
      decideReservationUse(elsewhere, custom('https://clips.example', 'acct-a', ['cdn.example'])),
    ).toMatchObject({ kind: 'use' });
  });
});

describe('migrateLegacyBuiltIn', () => {
  it('takes the old port out of a record of the built-in service, leaving its account to be checked', () => {
    const migrated = migrateLegacyBuiltIn(answer('http://127.0.0.1:4100'));
    expect(migrated).toMatchObject({
      serviceKey: 'builtin',
      uploadUri: '/upload/xuid(2)/clip-1/container',
      smallThumbnailUri: '/upload/xuid(2)/clip-1/container/thumbnails/small',
    });
    expect(migrated?.account).toBeUndefined();
    expect(decideReservationUse(migrated!, builtIn(4200))).toMatchObject({
      kind: 'use',
      verify: true,
      uris: { uploadUri: 'http://127.0.0.1:4200/upload/xuid(2)/clip-1/container' },
    });
  });

  it('leaves other records alone', () => {
    expect(migrateLegacyBuiltIn(answer('https://clips.example'))).toBeUndefined();
    expect(
      migrateLegacyBuiltIn(bindReservation(answer('http://127.0.0.1:4100'), builtIn(4100))),
    ).toBeUndefined();
    expect(
      migrateLegacyBuiltIn({
        ...answer('http://127.0.0.1:4100'),
        uploadUri: 'http://127.0.0.1:9/u',
      }),
    ).toBeUndefined();
  });
});
