import { describe, expect, it } from 'vitest';
import { renderCaptionTemplate } from '../../../app/clip/caption-template';
import { gameLabelFor } from '../../../app/clip/game-label';

const roots = ['/home/ana/Videos', 'C:\\Users\\Ana\\Videos\\Captures'];
const none = { roots, folderLabels: {} };

describe('gameLabelFor', () => {
  it('takes a per-game subfolder, as NVIDIA and many OBS set-ups write', () => {
    expect(
      gameLabelFor('/home/ana/Videos/Apex Legends/Apex Legends 2024.01.05 - 21.14.33.02.mp4', none),
    ).toBe('Apex Legends');
    expect(gameLabelFor('/home/ana/Videos/2024/Replays/Valorant/clip.mp4', none)).toBe('Valorant');
  });

  it("reads Xbox Game Bar's '<Game> <date> <time>' file names on Windows paths", () => {
    expect(
      gameLabelFor('C:\\Users\\Ana\\Videos\\Captures\\Halo Infinite 2023-05-01 19-22-10.mp4', none),
    ).toBe('Halo Infinite');
  });

  it("reads NVIDIA's and underscore-separated names when the clip is in the root itself", () => {
    expect(
      gameLabelFor('/home/ana/Videos/Rocket League 2024.03.02 - 20.01.55.03.DVR.mp4', none),
    ).toBe('Rocket League');
    expect(gameLabelFor('/home/ana/Videos/Fortnite_2024-01-05_21-14-33.mp4', none)).toBe(
      'Fortnite',
    );
  });

  it("names a Steam recording's app id when it is a well-known one", () => {
    expect(
      gameLabelFor(
        '/home/ana/Videos/gamerecordings/clips/clip_730_20240601_203512/video.mp4',
        none,
      ),
    ).toBe('Counter-Strike 2');
    expect(
      gameLabelFor(
        '/home/ana/Videos/gamerecordings/clips/clip_99999999_20240601_203512/v.mp4',
        none,
      ),
    ).toBeUndefined();
  });

  it('says nothing for OBS date-only names, generic folders and files dropped from elsewhere', () => {
    expect(gameLabelFor('/home/ana/Videos/2024-01-05 21-14-33.mkv', none)).toBeUndefined();
    expect(gameLabelFor('/home/ana/Videos/Replays/Captures/x.mp4', none)).toBeUndefined();
    expect(gameLabelFor('/home/ana/Downloads/funny.mp4', none)).toBeUndefined();
  });

  it("prefers the folder's label from Settings over everything the path says", () => {
    const labelled = { roots, folderLabels: { '/home/ana/Videos': 'Minecraft' } };
    expect(gameLabelFor('/home/ana/Videos/Apex Legends/x.mp4', labelled)).toBe('Minecraft');
    // A label of spaces is no label.
    const blank = { roots, folderLabels: { '/home/ana/Videos': '   ' } };
    expect(gameLabelFor('/home/ana/Videos/Apex Legends/x.mp4', blank)).toBe('Apex Legends');
  });
});

describe('{game} in caption templates', () => {
  const clip = {
    file: {
      path: '/v/Halo Infinite 2023-05-01 19-22-10.mp4',
      size: 1,
      mtimeMs: 0,
      fingerprint: '',
    },
    probe: {
      container: 'mp4' as const,
      durationSeconds: 65,
      recordedAt: '2023-05-01T19:22:10.000Z',
    },
  };

  it('fills the game, and leaves no gap where none is known', () => {
    expect(
      renderCaptionTemplate('{game}: {duration}', { ...clip, draft: { game: 'Halo' } }, new Date()),
    ).toBe('Halo: 1:05');
    expect(renderCaptionTemplate('Clip {game} {duration}', clip, new Date())).toBe('Clip 1:05');
  });
});
