/**
 * "Add clips..." (issue 15, item 4): main's own dialog with video filters, files and folders as
 * the platform allows, one dialog at a time, and what is chosen goes to the intake as a drop does.
 */
import type { OpenDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { ok } from '../../../app/ipc/result';
import { silentLogger } from '../../../main/util/logger';
import { addClipsDialogOptions, createAddClips } from '../../../main/ipc/add-clips';

describe('addClipsDialogOptions', () => {
  it('picks files and folders in one dialog on macOS, files elsewhere, with video filters', () => {
    expect(addClipsDialogOptions('files', 'darwin').properties).toEqual([
      'openFile',
      'openDirectory',
      'multiSelections',
    ]);
    const linux = addClipsDialogOptions('files', 'linux');
    expect(linux.properties).toEqual(['openFile', 'multiSelections']);
    expect(linux.filters?.[0]?.extensions).toEqual(['mp4', 'm4v', 'mov', 'mkv', 'webm']);
    expect(addClipsDialogOptions('folder', 'win32').properties).toEqual(['openDirectory']);
  });
});

describe('createAddClips', () => {
  it('registers what the user chose, answers [] when cancelled, and opens one dialog at a time', async () => {
    const asked: OpenDialogOptions[] = [];
    const registered: string[][] = [];
    let answer: { canceled: boolean; filePaths: string[] } = { canceled: true, filePaths: [] };
    let release: () => void = () => undefined;
    let hold = false;
    const port = createAddClips({
      showOpenDialog: async (options) => {
        asked.push(options);
        if (hold) await new Promise<void>((resolve) => (release = resolve));
        return answer;
      },
      intake: {
        registerFiles: (paths) => {
          registered.push([...paths]);
          return Promise.resolve(
            ok(paths.map((p) => ({ fileName: p, outcome: 'accepted' as const }))),
          );
        },
      },
      platform: 'linux',
      logger: silentLogger,
    });
    expect(await port.choose('files')).toEqual({ ok: true, value: [] });
    expect(registered).toEqual([]);
    answer = { canceled: false, filePaths: ['/videos/a.mp4', '/videos/b.mkv'] };
    expect(await port.choose('files')).toMatchObject({ ok: true, value: [{}, {}] });
    expect(registered).toEqual([['/videos/a.mp4', '/videos/b.mkv']]);

    hold = true;
    const first = port.choose('folder');
    await expect.poll(() => asked.length).toBe(3);
    expect(await port.choose('files')).toEqual({ ok: true, value: [] });
    expect(asked).toHaveLength(3);
    release();
    await first;
    expect(asked[2]?.properties).toEqual(['openDirectory']);
  });
});
