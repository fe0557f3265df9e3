/**
 * The guards every webContents gets (S1): navigation and redirects away from our page refused,
 * no webview, new windows denied with only validated https links handed to the browser, and
 * every permission refused, asked or checked.
 */
import type { App, Session, WebContents } from 'electron';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/util/logger';
import {
  externalLinkToOpen,
  hardenWebContents,
  installGuards,
  isOwnPage,
} from '../../../main/desktop/guards';

const PAGE = 'file:///opt/gc/resources/app.asar/dist/renderer/index.html';

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  constructor(readonly session: unknown = {}) {
    super();
  }
  setWindowOpenHandler(handler: FakeContents['openHandler']) {
    this.openHandler = handler;
  }
  /** Emits like Electron and says whether a listener prevented the default. */
  attempt(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

type RequestHandler = (contents: unknown, permission: string, cb: (g: boolean) => void) => void;
type CheckHandler = (...args: unknown[]) => boolean;
interface FakeSession {
  request?: RequestHandler;
  check?: CheckHandler;
  setPermissionRequestHandler(handler: RequestHandler): void;
  setPermissionCheckHandler(handler: CheckHandler): void;
}

function fakeSession(): FakeSession {
  const session: FakeSession = {
    setPermissionRequestHandler(handler) {
      session.request = handler;
    },
    setPermissionCheckHandler(handler) {
      session.check = handler;
    },
  };
  return session;
}

describe('isOwnPage and externalLinkToOpen', () => {
  it('accepts our page with a hash or query, and nothing else', () => {
    expect(isOwnPage(PAGE, PAGE)).toBe(true);
    expect(isOwnPage(`${PAGE}#/settings`, PAGE)).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'file:///opt/gc/resources/app.asar/dist/renderer/other.html',
      'https://example.com/',
      'gameclips-media://clip/00000000-0000-4000-8000-000000000001',
      'javascript:alert(1)',
      'not a url',
    ])
      expect(isOwnPage(url, PAGE)).toBe(false);
    expect(isOwnPage(PAGE, undefined)).toBe(false);
  });

  it('hands only clean https links to the browser', () => {
    expect(externalLinkToOpen('https://support.xbox.com/help')).toBe(
      'https://support.xbox.com/help',
    );
    for (const url of [
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- proving it is refused
      'http://example.com',
      'file:///etc/passwd',
      'https://user:pass@example.com',
      'https://xbox.com@evil.example',
      'smb://share/x',
      'javascript:alert(1)',
      `https://example.com/${'a'.repeat(3000)}`,
    ])
      expect(externalLinkToOpen(url)).toBeUndefined();
  });
});

describe('hardenWebContents', () => {
  it('refuses navigation and redirects away, webviews, and every window', async () => {
    const contents = new FakeContents();
    hardenWebContents(contents as unknown as WebContents, {
      rendererUrl: () => PAGE,
      logger: silentLogger,
    });
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-navigate', `${PAGE}#/history`)).toBe(false);
    expect(contents.attempt('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-attach-webview', {}, {})).toBe(true);
    expect(contents.openHandler?.({ url: 'https://support.xbox.com/' })).toEqual({
      action: 'deny',
    });
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    // The guards have no way to reach the browser at all: a clean https link is denied like the
    // rest (issue 14, item 6; e2e: security.spec.ts checks nothing reaches shell.openExternal).
  });
});

describe('installGuards', () => {
  it('refuses every permission and hardens every webContents created later', () => {
    const app = new EventEmitter();
    const defaultSession = fakeSession();
    installGuards(app as unknown as App, defaultSession as unknown as Session, {
      rendererUrl: () => PAGE,
      logger: silentLogger,
    });
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read'])
      defaultSession.request?.({}, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
    expect(defaultSession.check?.({}, 'media', 'file://', {})).toBe(false);

    const otherSession = fakeSession();
    const later = new FakeContents(otherSession);
    app.emit('web-contents-created', {}, later);
    expect(later.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(later.openHandler?.({ url: 'about:blank' })).toEqual({ action: 'deny' });
    expect(otherSession.check?.()).toBe(false);
  });
});
