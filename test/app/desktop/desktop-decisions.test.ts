/**
 * The desktop's pure decisions: tray state, which changes notify, where the window reopens, what
 * a launch's command line asks for.
 */
import { describe, expect, it } from 'vitest';
import type { ClipState } from '../../../app/clip/clip';
import { readLaunchArgs } from '../../../app/desktop/launch-args';
import {
  coalesceNotifications,
  notificationFor,
  type NotificationPreferences,
} from '../../../app/desktop/notifications';
import { trayStatus } from '../../../app/desktop/tray-state';
import { placeWindow } from '../../../app/desktop/window-bounds';

const states = (...list: ClipState[]) => list.map((state) => ({ state }));
const all: NotificationPreferences = {
  reserved: true,
  blocked: true,
  published: true,
  failed: true,
};
const review = { kind: 'review' } as const;
const clip = (state: ClipState, message?: string) => ({
  id: 'c1',
  state,
  file: { path: 'C:\\Videos\\Ace.mp4', size: 1, mtimeMs: 1, fingerprint: 'f' },
  ...(message
    ? { error: { code: 'gameclips/forbidden' as const, message, action: 'none' as const } }
    : {}),
});

describe('trayStatus', () => {
  it('is idle with nothing to do, and counts clips waiting for review', () => {
    expect(trayStatus([])).toMatchObject({ icon: 'idle', waitingForReview: 0 });
    expect(trayStatus(states('reserved', 'reserved', 'published', 'cancelled'))).toMatchObject({
      icon: 'idle',
      waitingForReview: 2,
      tooltip: 'GameClips Companion: 2 clips waiting for review',
    });
  });

  it('shows work in flight, and attention over work', () => {
    expect(trayStatus(states('uploading', 'reserved')).icon).toBe('working');
    expect(trayStatus(states('waiting-retry')).icon).toBe('working');
    expect(trayStatus(states('uploading', 'blocked')).icon).toBe('attention');
    expect(trayStatus(states('failed', 'reserving', 'reserved'), true).tooltip).toBe(
      'GameClips Companion: 1 clip needs you, 1 clip waiting for review, 1 clip in progress, uploads paused',
    );
  });
});

describe('notificationFor', () => {
  it('announces a fresh reservation but not a rewrite or a return to reserved', () => {
    expect(notificationFor('reserving', clip('reserved'), all, review)).toMatchObject({
      kind: 'reserved',
      clipId: 'c1',
      body: 'Ace.mp4 is reserved. Add a caption and send it when you are ready.',
    });
    expect(notificationFor(undefined, clip('reserved'), all, review)?.kind).toBe('reserved');
    expect(notificationFor('reserved', clip('reserved'), all, review)).toBeUndefined();
    expect(notificationFor('paused', clip('reserved'), all, review)).toBeUndefined();
  });

  it('says nothing of a reservation sent at once, since there is nothing to review', () => {
    expect(
      notificationFor('reserving', clip('reserved'), all, { kind: 'immediate' }),
    ).toBeUndefined();
    expect(
      notificationFor('reserving', clip('reserved'), all, { kind: 'after-delay', minutes: 5 }),
    ).toBeDefined();
  });

  it('gives the reason of a block or failure, and follows each setting', () => {
    expect(notificationFor('reserving', clip('blocked', 'Sign in again.'), all, review)?.body).toBe(
      'Ace.mp4: Sign in again.',
    );
    expect(notificationFor('processing', clip('published'), all, review)?.title).toBe(
      'Clip published',
    );
    expect(notificationFor('uploading', clip('failed'), all, review)?.kind).toBe('failed');
    for (const kind of ['reserved', 'blocked', 'published', 'failed'] as const)
      expect(
        notificationFor('reserving', clip(kind), { ...all, [kind]: false }, review),
      ).toBeUndefined();
    expect(notificationFor('reserved', clip('uploading'), all, review)).toBeUndefined();
  });

  it('spells out bidi overrides and control characters in the file name', () => {
    const hostile = {
      ...clip('published'),
      file: { ...clip('published').file, path: '/v/clip\u202Egnp.exe.mp4' },
    };
    expect(notificationFor('processing', hostile, all, review)?.body).toBe(
      'clip\\u{202e}gnp.exe.mp4 is live.',
    );
  });

  it('collapses more than three of a kind into one summary that opens the first', () => {
    const burst = Array.from({ length: 5 }, (_, i) => ({
      kind: 'published' as const,
      clipId: `c${i}`,
      title: 't',
      body: 'b',
    }));
    const failed = { kind: 'failed' as const, clipId: 'f', title: 'Upload failed', body: 'x' };
    expect(coalesceNotifications([...burst, failed])).toEqual([
      { kind: 'published', clipId: 'c0', title: '5 clips published', body: 'They are live.' },
      failed,
    ]);
    expect(coalesceNotifications(burst.slice(0, 3))).toEqual(burst.slice(0, 3));
  });
});

describe('placeWindow', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  const defaults = { width: 1120, height: 760 };
  const minimum = { width: 720, height: 480 };

  it('uses the defaults for a missing or malformed file', () => {
    for (const saved of [undefined, null, 'x', { x: 'a' }, { x: 1, y: 2, width: -5, height: 3 }])
      expect(placeWindow(saved, screen, defaults, minimum)).toEqual({
        width: 1120,
        height: 760,
        isMaximized: false,
      });
  });

  it('keeps a position whose title bar is on a display, and drops one that is not', () => {
    const saved = { x: 100, y: 50, width: 1000, height: 700, isMaximized: true };
    expect(placeWindow(saved, screen, defaults, minimum)).toEqual({
      position: { x: 100, y: 50 },
      width: 1000,
      height: 700,
      isMaximized: true,
    });
    expect(placeWindow({ ...saved, x: 3000 }, screen, defaults, minimum).position).toBeUndefined();
    expect(placeWindow({ ...saved, y: -600 }, screen, defaults, minimum).position).toBeUndefined();
    // Mostly off the right edge but the title bar still grabbable: kept.
    expect(placeWindow({ ...saved, x: 1700 }, screen, defaults, minimum).position).toEqual({
      x: 1700,
      y: 50,
    });
  });

  it('clamps a size larger than any display, and one below the minimum', () => {
    expect(
      placeWindow({ x: 0, y: 0, width: 9000, height: 9000 }, screen, defaults, minimum),
    ).toMatchObject({ width: 1920, height: 1040 });
    expect(
      placeWindow({ x: 0, y: 0, width: 10, height: 10 }, screen, defaults, minimum),
    ).toMatchObject({ width: 720, height: 480 });
  });
});

describe('readLaunchArgs', () => {
  it('finds --hidden and the video files, skipping switches and other files', () => {
    expect(
      readLaunchArgs([
        'C:\\Program Files\\GameClips Companion\\GameClips Companion.exe',
        '--hidden',
        '--allow-file-access-from-files',
        'D:\\Clips\\ace.MP4',
        'readme.txt',
        '.hidden.mp4',
        'rec.mkv.part',
        'b.webm',
      ]),
    ).toEqual({ startHidden: true, files: ['D:\\Clips\\ace.MP4', 'b.webm'] });
  });

  it('takes a file that looks like a switch after --, and never the executable', () => {
    expect(readLaunchArgs(['/opt/x/clip.mp4', '--', '-odd.mov'])).toEqual({
      startHidden: false,
      files: ['-odd.mov'],
    });
  });
});
