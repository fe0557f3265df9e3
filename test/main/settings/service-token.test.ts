/* eslint-disable @microsoft/sdl/no-insecure-url -- plain-http service addresses are fed in to prove they are refused */
/**
 * The custom service and its token (issue 14 item 3): https only except loopback, the token tied
 * to the origin it was entered for and cleared when the origin changes.
 */
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../../app/settings';
import type { TokenStore } from '../../../main/account/token-store';
import type { Logger } from '../../../main/util/logger';
import { SettingsService } from '../../../main/settings/settings-service';
import { TOKEN_ORIGIN_FILE_NAME } from '../../../main/settings/token-origin';
import { tempDir } from '../../support/clips';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const SCID = '8d2f0c0e-1a8c-4a0e-9b6e-0d7f8c2a1b3c';
const TOKEN = 'XBL3.0 x=123;secret-token-value';

function memoryTokens(initial?: string): TokenStore & { value: string | undefined } {
  const store = {
    value: initial,
    read: () => Promise.resolve(store.value),
    write: (token: string) => {
      store.value = token;
      return Promise.resolve();
    },
    clear: () => {
      store.value = undefined;
      return Promise.resolve();
    },
    hasToken: () => Promise.resolve(store.value !== undefined),
    isEncrypted: () => Promise.resolve(true),
  };
  return store;
}

describe('the custom service and its token', () => {
  let home: Awaited<ReturnType<typeof tempDir>>;
  let tokens: ReturnType<typeof memoryTokens>;

  function service(initial: Settings = defaultSettings(undefined), token?: string) {
    tokens = memoryTokens(token);
    return new SettingsService({
      userDataDir: home.dir,
      initial,
      tokens,
      logger: quiet,
      chooseFolder: () => Promise.resolve(undefined),
    });
  }

  beforeEach(async () => {
    home = await tempDir('gc-service-token-');
    await mkdir(home.dir, { recursive: true });
  });
  afterEach(() => home.cleanup());

  it('takes https anywhere and plain http only on this computer', async () => {
    const settings = service();
    const refused = await settings.update({
      service: { kind: 'custom', baseUrl: 'http://clips.example', scid: SCID },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'settings/insecure-service' } });
    expect(!refused.ok && refused.error.message).toMatch(/https:\/\//u);
    expect(settings.current().service).toEqual({ kind: 'sandbox' });
    for (const baseUrl of [
      'https://clips.example',
      'http://127.0.0.1:8080',
      'http://localhost:9',
    ]) {
      const result = await settings.update({ service: { kind: 'custom', baseUrl, scid: SCID } });
      expect(result.ok, baseUrl).toBe(true);
    }
  });

  it('ties the token to its origin and clears it when the origin changes', async () => {
    const settings = service();
    await settings.update({
      service: { kind: 'custom', baseUrl: 'https://a.example/v1', scid: SCID },
    });
    const set = await settings.setToken(TOKEN);
    expect(set.ok && set.value.tokenOrigin).toBe('https://a.example');
    // Another path on the same origin, and the built-in service meanwhile: the token stays.
    await settings.update({
      service: { kind: 'custom', baseUrl: 'https://a.example/v2', scid: SCID },
    });
    await settings.update({ service: { kind: 'sandbox' } });
    expect(tokens.value).toBe(TOKEN);
    // Another origin: the token is gone and the window is asked for a new one.
    const moved = await settings.update({
      service: { kind: 'custom', baseUrl: 'https://b.example', scid: SCID },
    });
    expect(tokens.value).toBeUndefined();
    expect(moved.ok && moved.value.hasAccountToken).toBe(false);
    expect(moved.ok && moved.value.tokenOrigin).toBeUndefined();
    await expect(access(path.join(home.dir, TOKEN_ORIGIN_FILE_NAME))).rejects.toThrow();
    const again = await settings.setToken('XBL3.0 x=9;another-token');
    expect(again.ok && again.value.tokenOrigin).toBe('https://b.example');
  });

  it('takes a token stored before origins were recorded to be for the service set', async () => {
    const initial: Settings = {
      ...defaultSettings(undefined),
      service: { kind: 'custom', baseUrl: 'https://a.example', scid: SCID },
    };
    const settings = service(initial, TOKEN);
    const view = await settings.get();
    expect(view.ok && view.value.tokenOrigin).toBe('https://a.example');
    await settings.update({
      service: { kind: 'custom', baseUrl: 'https://c.example', scid: SCID },
    });
    expect(tokens.value).toBeUndefined();
  });

  it('keeps the upload hosts a profile lists when the same origin is saved again', async () => {
    const initial: Settings = {
      ...defaultSettings(undefined),
      service: {
        kind: 'custom',
        baseUrl: 'https://a.example',
        scid: SCID,
        uploadHosts: ['upload.a.example'],
      },
    };
    const settings = service(initial);
    await settings.update({
      service: { kind: 'custom', baseUrl: 'https://a.example/v2', scid: SCID },
    });
    expect(settings.current().service).toMatchObject({ uploadHosts: ['upload.a.example'] });
    await settings.update({
      service: { kind: 'custom', baseUrl: 'https://b.example', scid: SCID },
    });
    expect(settings.current().service).not.toHaveProperty('uploadHosts');
  });
});
