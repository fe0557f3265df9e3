import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../main/window-options';

describe('window options (S1)', () => {
  it('isolate, sandbox and secure every window', () => {
    const prefs = mainWindowOptions('/dist/preload/index.js').webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/dist/preload/index.js',
    });
  });
});
