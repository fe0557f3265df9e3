/**
 * Issue 14, item 6: the browser opens only the link the service gave for a known, published
 * clip, asked for by the clip's id; and a service's words are redacted like the logs before any
 * record stores them or the window shows them.
 */
import { describe, expect, it } from 'vitest';
import { newClipRecord, type ClipRecord } from '../../app/clip/clip';
import { errorView } from '../../app/errors';
import { redactSecrets as appRedact } from '../../app/redact';
import { redactSecrets, silentLogger, createStreamLogger } from '../../main/util/logger';
import { createLinksPort, serviceLinkToOpen } from '../../main/ipc/open-link';
import type { ClipLedger } from '../../main/ledger/clip-ledger';

const now = '2026-01-01T00:00:00.000Z';
const ID = '00000000-0000-4000-8000-0000000000aa';
function publishedWith(downloadUri: string | undefined, state: ClipRecord['state'] = 'published') {
  return {
    ...newClipRecord({
      id: ID,
      origin: 'watch',
      file: { path: '/v/a.mp4', size: 1, mtimeMs: 1, fingerprint: 'f' },
      probe: { container: 'mp4', durationSeconds: 1, recordedAt: now },
      draft: { caption: '', visibility: 'Owner' },
      now,
    }),
    state,
    links: { recordedAt: now, ...(downloadUri ? { downloadUri } : {}) },
  } satisfies ClipRecord;
}

describe('serviceLinkToOpen', () => {
  it('opens a published clip’s https link, or http on loopback (the built-in service)', () => {
    expect(serviceLinkToOpen(publishedWith('https://gameclips.xboxlive.com/c/1?sig=x'))).toBe(
      'https://gameclips.xboxlive.com/c/1?sig=x',
    );
    expect(serviceLinkToOpen(publishedWith('http://127.0.0.1:4567/content/1'))).toBe(
      'http://127.0.0.1:4567/content/1',
    );
  });
  it('refuses anything else', () => {
    for (const link of [
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- proving it is refused
      'http://elsewhere.example/c/1',
      'https://user:pw@evil.example/',
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- proving it is refused
      'http://user@127.0.0.1:1/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ])
      expect(serviceLinkToOpen(publishedWith(link)), link).toBeUndefined();
    expect(serviceLinkToOpen(publishedWith(undefined))).toBeUndefined();
    expect(serviceLinkToOpen(publishedWith('https://ok.example/', 'reserved'))).toBeUndefined();
    expect(serviceLinkToOpen(undefined)).toBeUndefined();
  });
});

describe('createLinksPort', () => {
  it('opens by clip id only what the record holds, and refuses unknown or unpublished clips', async () => {
    let record: ClipRecord | undefined = publishedWith('https://cdn.example/clip.mp4');
    const opened: string[] = [];
    const ledger = { get: (id: string) => (id === ID ? record : undefined) } as ClipLedger;
    const port = createLinksPort({
      ledger: () => Promise.resolve(ledger),
      openExternal: (url) => (opened.push(url), Promise.resolve()),
      logger: silentLogger,
    });
    expect(await port.open(ID)).toEqual({ ok: true, value: true });
    expect(await port.open('00000000-0000-4000-8000-0000000000bb')).toMatchObject({
      ok: false,
      error: { code: 'ipc/unknown-clip' },
    });
    // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- proving it is refused
    record = publishedWith('http://evil.example/steal');
    expect(await port.open(ID)).toMatchObject({ ok: false });
    expect(opened).toEqual(['https://cdn.example/clip.mp4']);
  });
});

describe('service text is redacted as in the logs', () => {
  it('errorView redacts a token a service echoed before anything stores or shows it', () => {
    const view = errorView(
      'gameclips/rejected',
      'Bad request for Authorization: XBL3.0 x=1234567;eyJhbGciOi.secret-part',
    );
    expect(view.detail).toContain('XBL3.0 x=<redacted>');
    expect(view.detail).not.toContain('1234567');
    expect(view.detail).not.toContain('secret-part');
  });
  it('is the very function the logger uses', () => {
    expect(redactSecrets).toBe(appRedact);
    const lines: string[] = [];
    createStreamLogger({ write: (line) => lines.push(line) }).info('x', {
      auth: 'XBL3.0 x=1;tok',
    });
    expect(lines.join('')).not.toContain('tok');
  });
});
