/* eslint-disable @microsoft/sdl/no-insecure-url -- plain-http service addresses are shown to prove the notes */
/**
 * Settings say which origin the token is for, ask for one for the service set, warn about plain
 * http off this computer, and note why http on loopback is allowed (issue 14 item 3).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { SettingsView } from '../../../../app/ipc/contract';
import { defaultSettings } from '../../../../app/settings';
import { SettingsScreen } from '../../../../renderer/features/settings/settings-screen';
import { setLocale } from '../../../../app/i18n/translate';
import { createAppStore } from '../../../../renderer/stores/app-store';
import type { SettingsState } from '../../../../renderer/stores/settings-store';
import { StoresProvider } from '../../../../renderer/stores/stores-context';
import { FakeCompanion, readyStore } from '../../fixtures';

const SCID = '8d2f0c0e-1a8c-4a0e-9b6e-0d7f8c2a1b3c';

function view(baseUrl: string, token?: { origin: string }): SettingsView {
  return {
    settings: { ...defaultSettings(undefined), service: { kind: 'custom', baseUrl, scid: SCID } },
    watchedFolders: [],
    hasAccountToken: token !== undefined,
    tokenEncrypted: true,
    ...(token ? { tokenOrigin: token.origin } : {}),
  };
}

async function render(settingsView: SettingsView): Promise<string> {
  const { store: clips } = await readyStore([]);
  const app = createAppStore(new FakeCompanion());
  const idle = () => Promise.resolve();
  const settings = createStore<SettingsState>()(() => ({
    view: settingsView,
    error: undefined,
    busy: false,
    load: idle,
    viewReceived: () => undefined,
    changed: () => Promise.resolve(true),
    folderAddRequested: idle,
    folderRemoved: idle,
    tokenEntered: () => Promise.resolve(true),
    tokenCleared: idle,
  }));
  return renderToStaticMarkup(
    <StoresProvider stores={{ clips, app, settings }}>
      <SettingsScreen />
    </StoresProvider>,
  );
}

afterEach(() => setLocale('en'));

describe('the service settings', () => {
  it('say which origin the stored token is for', async () => {
    const html = await render(
      view('https://clips.example/api', { origin: 'https://clips.example' }),
    );
    expect(html).toContain('data-testid="token-origin"');
    expect(html).toContain('The token is for https://clips.example; it is sent nowhere else.');
    expect(html).not.toContain('data-testid="service-url-insecure"');
    expect(html).not.toContain('data-testid="service-url-loopback-note"');
  });

  it('ask for a token for the service set when none is stored', async () => {
    const html = await render(view('https://clips.example/api'));
    expect(html).toContain('Enter the account token for https://clips.example.');
  });

  it('note why plain http is allowed on this computer', async () => {
    const html = await render(view('http://127.0.0.1:8080', { origin: 'http://127.0.0.1:8080' }));
    expect(html).toContain('data-testid="service-url-loopback-note"');
    expect(html).toContain('nothing leaves the machine');
  });

  it('warn about plain http to another machine, and that another origin clears the token', async () => {
    const html = await render(view('http://clips.example', { origin: 'https://other.example' }));
    expect(html).toContain('data-testid="service-url-insecure"');
    expect(html).toContain('Use an https:// address.');
    const moved = await render(view('https://clips.example', { origin: 'https://other.example' }));
    expect(moved).toContain('data-testid="service-url-clears-token"');
    expect(moved).toContain('which is for https://other.example');
  });

  it('speak Traditional Chinese', async () => {
    setLocale('zh-TW');
    const html = await render(view('http://127.0.0.1:8080', { origin: 'http://127.0.0.1:8080' }));
    expect(html).toContain('這個權杖只用於 http://127.0.0.1:8080');
    expect(html).toContain('這個位址在這台電腦上');
  });
});
