/**
 * Issue 17 items 4 and 6: the surfaces outside the window (tray, notifications, application and
 * context menus) speak the user's language from the same catalogues as the window, with plural
 * forms by Intl.PluralRules; the right-click menu offers spelling fixes and the edit commands.
 */
import type { MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newClipRecord, type ClipRecord, type ClipState } from '../../../app/clip/clip';
import { notificationFor, coalesceNotifications } from '../../../app/desktop/notifications';
import { trayStatus } from '../../../app/desktop/tray-state';
import { english, translator } from '../../../app/i18n/messages';
import { errorView } from '../../../app/errors';
import { defaultSettings, type Settings } from '../../../app/settings';
import { silentLogger } from '../../../main/util/logger';
import {
  applicationMenuTemplate,
  contextMenuTemplate,
  type ContextMenuRequest,
} from '../../../main/desktop/app-menu';
import { createDesktop, type Desktop, type DesktopRuntime } from '../../../main/desktop/desktop';
import { FileClipLedger } from '../../../main/ledger/file-clip-ledger';
import { createElectronStandIn } from '../../electron-stand-in/stand-in';
import { tempDir } from '../../support/clips';

const zh = translator('zh-TW');
const HAN = /[\u4e00-\u9fff]/u;

function clip(n: number, state: ClipState): ClipRecord {
  return {
    ...newClipRecord({
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      origin: 'watch',
      file: { path: `/videos/clip ${n}.mp4`, size: 100, mtimeMs: 1, fingerprint: 'f' },
      probe: { container: 'mp4', durationSeconds: 3, recordedAt: '2026-03-01T12:00:00.000Z' },
      draft: { caption: '', visibility: 'Owner' },
      now: '2026-03-01T12:00:00.000Z',
    }),
    state,
  };
}

/** Every label of a menu template, submenus included. */
function labels(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.label !== undefined ? [item.label] : []),
    ...(Array.isArray(item.submenu) ? labels(item.submenu) : []),
  ]);
}

describe('plural forms', () => {
  it('follow Intl.PluralRules: one clip, two clips; Chinese has one form', () => {
    expect(english.plural('tray.review', 1)).toBe('Review 1 clip');
    expect(english.plural('tray.review', 2)).toBe('Review 2 clips');
    expect(english.plural('tray.review', 0)).toBe('Review 0 clips');
    expect(zh.plural('tray.review', 1)).toBe('檢閱 1 段短片');
    expect(zh.plural('tray.review', 2)).toBe('檢閱 2 段短片');
  });
});

describe('in Traditional Chinese', () => {
  it('the tray tooltip', () => {
    const records = [clip(1, 'reserved'), clip(2, 'reserved'), clip(3, 'failed')];
    expect(trayStatus(records, true, zh).tooltip).toBe(
      'GameClips Companion：1 段短片需要你處理，2 段短片等待檢閱，上傳已暫停',
    );
    expect(trayStatus([], false, zh).tooltip).toBe('GameClips Companion：全部處理完畢');
    expect(trayStatus(records, true).tooltip).toBe(
      'GameClips Companion: 1 clip needs you, 2 clips waiting for review, uploads paused',
    );
  });

  it('notifications, one by one and summarised, with error sentences in the language', () => {
    const prefs = defaultSettings(undefined).desktop.notifications;
    const reserved = notificationFor(
      'reserving',
      clip(1, 'reserved'),
      prefs,
      { kind: 'review' },
      zh,
    );
    expect(reserved).toMatchObject({ title: '短片可以檢閱了' });
    expect(reserved?.body).toMatch(/^clip 1\.mp4 已預留/u);
    const failed = notificationFor(
      'uploading',
      {
        ...clip(2, 'failed'),
        error: { ...errorView('gameclips/unauthorized'), message: 'Signed out.' },
      },
      prefs,
      { kind: 'review' },
      zh,
    );
    expect(failed?.title).toBe('上傳失敗');
    expect(failed?.body).toMatch(HAN);
    expect(failed?.body).not.toContain('Signed out.');
    const burst = [1, 2, 3, 4, 5].map((n) =>
      notificationFor('reserving', clip(n, 'reserved'), prefs, { kind: 'review' }, zh)!,
    );
    expect(coalesceNotifications(burst, zh)).toEqual([
      expect.objectContaining({ title: '5 段短片可以檢閱了', body: '加上說明，準備好就送出。' }),
    ]);
    expect(coalesceNotifications(burst)[0]?.title).toBe('5 clips ready for review');
  });

  it('the application menu, Help included, on each platform', () => {
    const help = {
      openLogs: () => undefined,
      exportDiagnostics: () => undefined,
      showShortcuts: () => undefined,
      showAbout: () => undefined,
      restartToUpdate: () => undefined,
    };
    for (const platform of ['win32', 'linux', 'darwin'] as const) {
      const template = applicationMenuTemplate({
        platform,
        isPackaged: true,
        appName: 'GameClips Companion',
        openWindow: () => undefined,
        translator: zh,
        help,
      });
      const all = labels(template).filter((label) => label !== 'GameClips Companion');
      for (const label of all) expect(label, `${platform}: ${label}`).toMatch(HAN);
      expect(all).toEqual(
        expect.arrayContaining([
          '說明',
          '開啟記錄檔資料夾',
          '匯出診斷資料…',
          '鍵盤快速鍵',
          '重新啟動以更新',
        ]),
      );
    }
    const english = labels(
      applicationMenuTemplate({
        platform: 'linux',
        isPackaged: true,
        appName: 'GameClips Companion',
        openWindow: () => undefined,
        help: { ...help, restartToUpdate: undefined },
      }),
    );
    expect(english).toEqual(
      expect.arrayContaining([
        'Help',
        'Open Logs Folder',
        'Export Diagnostics…',
        'About GameClips Companion',
      ]),
    );
    expect(english).not.toContain('Restart to Update');
  });

  describe('the tray and menu of the desktop shell follow the language setting', () => {
    let home: { dir: string; cleanup: () => Promise<void> };
    let desktop: Desktop | undefined;
    beforeEach(async () => {
      home = await tempDir('gc-surfaces-');
    });
    afterEach(async () => {
      await desktop?.dispose();
      await home.cleanup();
    });

    it('switches when the setting changes', async () => {
      const standIn = createElectronStandIn({
        paths: { userData: path.join(home.dir, 'user-data'), appData: home.dir },
      });
      const ledger = await FileClipLedger.open(path.join(home.dir, 'ledger'), silentLogger);
      await ledger.put(clip(1, 'reserved'));
      let settings: Settings = { ...defaultSettings(undefined), language: 'zh-TW' };
      const words = () => translator(settings.language === 'zh-TW' ? 'zh-TW' : 'en');
      desktop = createDesktop(standIn.electron as unknown as DesktopRuntime, {
        distDir: path.resolve(__dirname, '../../../dist'),
        userData: path.join(home.dir, 'user-data'),
        logger: silentLogger,
        settings: () => settings,
        ledger: () => Promise.resolve(ledger),
        uploads: {
          pauseAll: () => Promise.reject(new Error('no')),
          resumeAll: () => Promise.reject(new Error('no')),
        },
        intake: { registerFiles: () => Promise.reject(new Error('no')) },
        broadcaster: { send: () => undefined },
        rendererUrl: () => undefined,
        argv: ['/opt/gc'],
        translator: words,
      });
      const tray = () => standIn.trays()[0];
      await vi.waitFor(() => expect(tray()?.tooltip).toBe('GameClips Companion：1 段短片等待檢閱'));
      expect(tray()?.contextMenu?.getMenuItemById('open')?.label).toBe('檢閱 1 段短片');
      expect(tray()?.contextMenu?.getMenuItemById('quit')?.label).toBe('結束 GameClips Companion');
      expect(JSON.stringify(standIn.applicationMenu()?.items)).toContain('"檔案"');

      settings = { ...settings, language: 'en' };
      desktop.settingsChanged(settings);
      expect(tray()?.contextMenu?.getMenuItemById('open')?.label).toBe('Review 1 clip');
      expect(tray()?.tooltip).toBe('GameClips Companion: 1 clip waiting for review');
      expect(JSON.stringify(standIn.applicationMenu()?.items)).toContain('"File"');
      await ledger.flush();
    });
  });
});

describe('the right-click menu', () => {
  const flags = { canCut: true, canCopy: true, canPaste: true, canSelectAll: true };
  const request = (extra: Partial<ContextMenuRequest>): ContextMenuRequest => ({
    isEditable: true,
    selectionText: '',
    misspelledWord: '',
    dictionarySuggestions: [],
    editFlags: flags,
    ...extra,
  });

  it('offers spelling suggestions first in a field, then cut, copy, paste and select all', () => {
    const replaced: string[] = [];
    const added: string[] = [];
    const template = contextMenuTemplate(
      request({ misspelledWord: 'hedshot', dictionarySuggestions: ['headshot', 'head shot'] }),
      {
        replaceMisspelling: (word) => replaced.push(word),
        addToDictionary: (word) => added.push(word),
      },
    );
    expect(template.map((item) => item.id ?? item.type)).toEqual([
      'suggestion-0',
      'suggestion-1',
      'add-to-dictionary',
      'separator',
      'cut',
      'copy',
      'paste',
      'separator',
      'select-all',
    ]);
    expect(template.map((item) => item.role).filter(Boolean)).toEqual([
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    (template[0]!.click as () => void)();
    (template[2]!.click as () => void)();
    expect(replaced).toEqual(['headshot']);
    expect(added).toEqual(['hedshot']);
  });

  it('follows what the field allows, speaks the language, and offers only Copy outside fields', () => {
    const actions = { replaceMisspelling: () => undefined, addToDictionary: () => undefined };
    const readOnly = contextMenuTemplate(
      request({ editFlags: { ...flags, canCut: false, canPaste: false } }),
      actions,
      zh,
    );
    expect(readOnly.filter((item) => item.role).map((item) => [item.label, item.enabled])).toEqual([
      ['剪下', false],
      ['複製', true],
      ['貼上', false],
      ['全選', true],
    ]);
    expect(contextMenuTemplate(request({ isEditable: false }), actions)).toEqual([]);
    expect(
      contextMenuTemplate(request({ isEditable: false, selectionText: 'Ace' }), actions).map(
        (item) => item.role,
      ),
    ).toEqual(['copy']);
  });
});
