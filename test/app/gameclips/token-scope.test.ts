/* eslint-disable @microsoft/sdl/no-insecure-url -- plain-http addresses are fed in to prove they are refused */
import { describe, expect, it } from 'vitest';
import {
  checkAddress,
  describeRefusal,
  isLoopbackHost,
  tokenScopeFor,
  uploadHostOrigins,
} from '../../../app/gameclips/token-scope';
import { untrustedUploadAddress } from '../../../app/gameclips/wire';

const custom = { serviceOrigin: 'https://clips.example.com/api/' };
const local = { serviceOrigin: 'http://127.0.0.1:4100' };
const real = { serviceOrigin: 'https://gameclipsmetadata.xboxlive.com' };

describe('tokenScopeFor', () => {
  it.each([
    ['https://clips.example.com/upload/1', custom],
    ['https://clips.example.com:443/upload/1?blockNum=0', custom],
    ['http://127.0.0.1:4100/upload/xuid(1)/abc/container', local],
    ['https://gameclipstransfer.xboxlive.com/upload/1', real],
    ['https://gameclipscontent-d3001.xboxlive.com/x', real],
    // WHATWG URL (what node:http and axios read too) takes the backslash as a path separator:
    // the request goes to clips.example.com, as the decision says.
    ['https://clips.example.com\\@evil.net/upload', custom],
  ])('lets the token go to %s', (url, scope) => {
    expect(tokenScopeFor(url, scope)).toMatchObject({ allowed: true });
  });

  it.each([
    ['http://clips.example.com/upload/1', custom, 'insecure'],
    ['https://elsewhere.example.net/upload/1', custom, 'foreign-origin'],
    ['https://clips.example.com.evil.net/upload', custom, 'foreign-origin'],
    ['https://clips.example.com:8443/upload', custom, 'foreign-origin'],
    ['https://user:pw@clips.example.com/upload', custom, 'credentials'],
    ['http://127.0.0.1:4101/upload', local, 'foreign-origin'],
    ['http://localhost:4100/upload', local, 'foreign-origin'],
    ['https://127.0.0.1:4100/upload', local, 'foreign-origin'],
    ['file:///etc/passwd', custom, 'scheme'],
    ['ftp://clips.example.com/x', custom, 'scheme'],
    ['/upload/relative', custom, 'not-a-url'],
    ['http://gameclipstransfer.xboxlive.com/upload', real, 'insecure'],
    ['https://gameclipstransfer.xboxlive.com:8443/upload', real, 'foreign-origin'],
    ['https://xboxlive.com.evil.net/upload', real, 'foreign-origin'],
    ['https://evilxboxlive.com/upload', real, 'foreign-origin'],
    // *.xboxlive.com is allowed only when the service itself is the real one.
    ['https://gameclipstransfer.xboxlive.com/upload', custom, 'foreign-origin'],
  ])('refuses %s', (url, scope, reason) => {
    const decision = tokenScopeFor(url, scope);
    expect(decision).toMatchObject({ allowed: false, reason });
    expect(describeRefusal(url, decision).length).toBeGreaterThan(20);
  });

  it('adds the upload hosts a profile lists, https unless loopback', () => {
    const scope = {
      ...custom,
      uploadHosts: ['upload.example.org', 'http://127.0.0.1:9000', 'http://far.example'],
    };
    expect(tokenScopeFor('https://upload.example.org/u/1', scope).allowed).toBe(true);
    expect(tokenScopeFor('http://127.0.0.1:9000/u/1', scope).allowed).toBe(true);
    expect(tokenScopeFor('http://far.example/u/1', scope).allowed).toBe(false);
    expect(tokenScopeFor('http://upload.example.org/u/1', scope).allowed).toBe(false);
    expect(uploadHostOrigins(scope.uploadHosts)).toEqual([
      'https://upload.example.org',
      'http://127.0.0.1:9000',
    ]);
  });
});

describe('checkAddress', () => {
  it('takes https anywhere and http only on loopback', () => {
    expect(checkAddress('https://clips.example.com').allowed).toBe(true);
    expect(checkAddress('http://127.0.0.1:8080').allowed).toBe(true);
    expect(checkAddress('http://localhost:8080').allowed).toBe(true);
    expect(checkAddress('http://[::1]:8080').allowed).toBe(true);
    expect(checkAddress('http://clips.example.com')).toMatchObject({ reason: 'insecure' });
    expect(checkAddress('http://10.0.0.2')).toMatchObject({ reason: 'insecure' });
    expect(checkAddress('http://127.0.0.1.nip.io')).toMatchObject({ reason: 'insecure' });
  });

  it('knows loopback hosts', () => {
    expect(
      ['127.0.0.1', '127.5.6.7', 'localhost', '[::1]', 'a.localhost'].map(isLoopbackHost),
    ).toEqual([true, true, true, true, true]);
    expect(['128.0.0.1', '0.0.0.0', 'localhost.example', '::2'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('untrustedUploadAddress', () => {
  it('names the first reserve URI outside the scope', () => {
    expect(
      untrustedUploadAddress(
        {
          uploadUri: 'https://clips.example.com/upload/1',
          largeThumbnailUri: 'https://clips.example.com/upload/1/thumbnails/large',
          smallThumbnailUri: 'http://evil.example/upload/1/thumbnails/small',
        },
        custom,
      ),
    ).toContain('http://evil.example');
    expect(
      untrustedUploadAddress({ uploadUri: 'https://clips.example.com/upload/1' }, custom),
    ).toBeUndefined();
  });
});
