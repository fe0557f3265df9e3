/**
 * What the tray and the notifier show, platform by platform: template icons on macOS, colour
 * elsewhere, and notification bodies that Linux servers cannot read as markup.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeMarkup } from '../../../main/desktop/notifier';
import { trayIconPath } from '../../../main/desktop/tray';

describe('escapeMarkup', () => {
  it('shows a file name that looks like markup as typed on Linux', () => {
    expect(escapeMarkup('<a href="https://evil.example">x</a> & co.mp4')).toBe(
      '&lt;a href="https://evil.example"&gt;x&lt;/a&gt; &amp; co.mp4',
    );
  });
});

describe('trayIconPath', () => {
  it('uses template images on macOS and colour elsewhere, each file present', () => {
    const dir = path.resolve(__dirname, '../../../assets/icons/tray');
    expect(path.basename(trayIconPath(dir, 'working', 'darwin'))).toBe('tray-workingTemplate.png');
    expect(path.basename(trayIconPath(dir, 'working', 'win32'))).toBe('tray-working.png');
    for (const state of ['idle', 'working', 'attention'] as const)
      for (const platform of ['darwin', 'linux', 'win32'] as const)
        expect(existsSync(trayIconPath(dir, state, platform))).toBe(true);
  });
});
