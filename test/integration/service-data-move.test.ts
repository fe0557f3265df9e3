/**
 * Issue 16, item 5: on Windows the built-in service's data lives in the machine-local app data
 * folder, and a folder in the old (roaming) place is moved on first start without loss: a rename
 * on the same volume, a verified copy across volumes, and a copy interrupted mid-way resumed at the
 * next start. Windows paths are simulated with APPDATA / LOCALAPPDATA in temporary folders; the
 * clips are real ffmpeg files published through the real sandbox over real HTTP, and after the
 * move the sandbox on the new folder serves every one with the original's SHA-256.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Companion } from '../../main/core/companion';
import {
  moveMarkerOf,
  moveServiceData,
  moveStagingOf,
  type ServiceMoveSeams,
} from '../../main/core/service-data-move';
import { defaultUserDataDir, legacyServiceDataDir, serviceDataDir } from '../../main/util/paths';
import { makeClip, tempDir } from '../support/clips';
import { quietLogger, startCompanionOn } from '../support/companion';
import { clipInState, sha256File } from './upload-support';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('gc-service-move-'));
});
afterAll(() => cleanup());

const exists = (target: string) =>
  stat(target).then(
    () => true,
    () => false,
  );

/** A simulated Windows profile under `root/name`: roaming and machine-local app data. */
function windowsProfile(name: string) {
  const env = {
    APPDATA: path.join(root, name, 'Roaming'),
    LOCALAPPDATA: path.join(root, name, 'Local'),
  };
  const userData = defaultUserDataDir(env, 'win32');
  return {
    env,
    userData,
    watched: path.join(root, name, 'Videos'),
    oldDir: legacyServiceDataDir(userData),
    newDir: serviceDataDir(userData, env, 'win32'),
  };
}

function startOn(userData: string, watched: string, serviceDir?: string) {
  return startCompanionOn({
    dataDir: userData,
    watchedFolders: [watched],
    ...(serviceDir !== undefined ? { serviceDataDir: serviceDir } : {}),
    uploadSettings: () => ({
      sendPolicy: { kind: 'immediate' },
      parallelBlocks: 4,
      bandwidthCapBytesPerSecond: 0,
    }),
    uploadTuning: { follow: { firstMs: 100, maxMs: 500, giveUpMs: 60_000 } },
  });
}

interface Published {
  readonly file: string;
  readonly sha256: string;
  readonly gameClipId: string;
}

/** The old layout: the service's data in `<roaming userData>/sandbox`, with published clips. */
async function publishInOldPlace(profile: ReturnType<typeof windowsProfile>): Promise<Published[]> {
  await mkdir(profile.watched, { recursive: true });
  const { companion } = await startOn(profile.userData, profile.watched);
  try {
    const published: Published[] = [];
    for (const seconds of [2, 3, 4]) {
      const file = await makeClip(path.join(profile.watched, `clip-${seconds}s.mp4`), { seconds });
      const record = await clipInState(companion, file, ['published'], 90_000);
      published.push({
        file,
        sha256: await sha256File(file),
        gameClipId: record.reservation!.gameClipId,
      });
    }
    return published;
  } finally {
    await companion.stop();
  }
}

async function call(companion: Companion, route: string): Promise<Response> {
  return fetch(`${companion.service.baseUrl}${route}`, {
    headers: {
      Authorization: (await companion.account.authorization())!,
      'X-RequestedServiceVersion': '1',
    },
  });
}

/** The service on the new folder serves every clip, byte for byte the original file. */
async function expectServedFrom(
  profile: ReturnType<typeof windowsProfile>,
  published: readonly Published[],
): Promise<void> {
  const { companion } = await startOn(profile.userData, profile.watched, profile.newDir);
  try {
    const storage = (await (await call(companion, '/users/me/storage')).json()) as {
      clips: number;
      dataDir: string;
    };
    expect(storage).toMatchObject({ clips: published.length, dataDir: profile.newDir });
    for (const clip of published) {
      const response = await call(
        companion,
        `/users/me/scids/${companion.service.scid}/clips/${clip.gameClipId}`,
      );
      expect(response.status).toBe(200);
      const { gameClip } = (await response.json()) as {
        gameClip: { state: string; gameClipUris: Array<{ uri: string }> };
      };
      expect(gameClip.state).toBe('Published');
      const download = await fetch(gameClip.gameClipUris[0]!.uri);
      expect(download.status).toBe(200);
      const served = createHash('sha256')
        .update(Buffer.from(await download.arrayBuffer()))
        .digest('hex');
      expect(served).toBe(clip.sha256);
      // The user's own file is untouched.
      expect(await sha256File(clip.file)).toBe(clip.sha256);
    }
  } finally {
    await companion.stop();
  }
  // One folder only: the old one is gone, and nothing of the move is left over.
  expect(await exists(profile.oldDir)).toBe(false);
  expect(await exists(moveMarkerOf(profile.newDir))).toBe(false);
  expect(await exists(moveStagingOf(profile.newDir))).toBe(false);
}

const crossDevice: ServiceMoveSeams = {
  renameFolder: () =>
    Promise.reject(
      Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' }),
    ),
};

describe('where the built-in service keeps its data', () => {
  it('is machine-local app data on Windows, and unchanged elsewhere or for a chosen data folder', () => {
    const env = { APPDATA: 'C:/Users/p/AppData/Roaming', LOCALAPPDATA: 'C:/Users/p/AppData/Local' };
    const roaming = defaultUserDataDir(env, 'win32');
    expect(serviceDataDir(roaming, env, 'win32')).toBe(
      path.join(env.LOCALAPPDATA, 'GameClips Companion', 'sandbox'),
    );
    // The CLI's --data elsewhere keeps its service beside it.
    expect(serviceDataDir('/elsewhere/data', env, 'win32')).toBe(
      path.join('/elsewhere/data', 'sandbox'),
    );
    for (const platform of ['linux', 'darwin'] as const)
      expect(serviceDataDir('/home/p/.config/GameClips Companion', env, platform)).toBe(
        path.join('/home/p/.config/GameClips Companion', 'sandbox'),
      );
  });
});

describe('moving the service data folder on first start', () => {
  it('a roamed profile on a machine whose local service is empty gets an account that works', async () => {
    const profile = windowsProfile('roamed');
    await publishInOldPlace(profile);
    // On another machine: the roaming folder (with its account file) came along, the service's
    // machine-local data did not.
    await rm(profile.oldDir, { recursive: true });
    const { companion } = await startOn(profile.userData, profile.watched, profile.newDir);
    try {
      expect((await call(companion, '/users/me/storage')).status).toBe(200);
    } finally {
      await companion.stop();
    }
  }, 240_000);

  it('renames it on the same volume at start-up; every clip is served with its original SHA-256', async () => {
    const profile = windowsProfile('rename');
    expect(profile.newDir).toBe(
      path.join(profile.env.LOCALAPPDATA, 'GameClips Companion', 'sandbox'),
    );
    const published = await publishInOldPlace(profile);
    expect(await exists(profile.oldDir)).toBe(true);
    expect(await exists(profile.newDir)).toBe(false);
    // The start of the new version moves it (inside startCompanion, before the service runs).
    await expectServedFrom(profile, published);
  }, 240_000);

  it('copies, verifies and removes the old folder across volumes', async () => {
    const profile = windowsProfile('copy');
    const published = await publishInOldPlace(profile);
    const served = await moveServiceData({
      from: profile.oldDir,
      to: profile.newDir,
      logger: quietLogger,
      seams: crossDevice,
    });
    expect(served).toBe(profile.newDir);
    await expectServedFrom(profile, published);
  }, 240_000);

  it('an interrupted copy leaves the old folder served and whole, and is resumed at the next start', async () => {
    const profile = windowsProfile('interrupted');
    const published = await publishInOldPlace(profile);
    const before = await snapshot(profile.oldDir);
    let copied = 0;
    const served = await moveServiceData({
      from: profile.oldDir,
      to: profile.newDir,
      logger: quietLogger,
      seams: {
        ...crossDevice,
        afterFileCopied: () => {
          copied += 1;
          if (copied === 2) throw new Error('the power went out');
        },
      },
    });
    // This run serves the old folder, intact; the half-made copy is never served.
    expect(served).toBe(profile.oldDir);
    expect(await snapshot(profile.oldDir)).toEqual(before);
    expect(await exists(profile.newDir)).toBe(false);
    expect(JSON.parse(await readFile(moveMarkerOf(profile.newDir), 'utf8'))).toMatchObject({
      phase: 'copying',
    });
    expect((await snapshot(moveStagingOf(profile.newDir))).size).toBe(2);

    // The next start resumes the copy: the clips already copied are kept, the rest copied.
    const resumed: string[] = [];
    expect(
      await moveServiceData({
        from: profile.oldDir,
        to: profile.newDir,
        logger: quietLogger,
        seams: { ...crossDevice, afterFileCopied: (file) => void resumed.push(file) },
      }),
    ).toBe(profile.newDir);
    expect(resumed.length).toBe(withoutLocks(before).size - 2);
    expect(await snapshot(profile.newDir)).toEqual(withoutLocks(before));
    await expectServedFrom(profile, published);
  }, 240_000);

  it('an interrupted copy is finished by the app itself at its next start', async () => {
    const profile = windowsProfile('interrupted-start');
    const published = await publishInOldPlace(profile);
    let copied = 0;
    await moveServiceData({
      from: profile.oldDir,
      to: profile.newDir,
      logger: quietLogger,
      seams: {
        ...crossDevice,
        afterFileCopied: () => {
          if (++copied === 3) throw new Error('killed');
        },
      },
    });
    expect(await exists(moveMarkerOf(profile.newDir))).toBe(true);
    // startCompanion with the new place resumes the move before the service starts.
    await expectServedFrom(profile, published);
  }, 240_000);
});

/** Every file under `dir` with its SHA-256. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), await sha256File(full));
  }
  return files;
}

function withoutLocks(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([name]) => !name.startsWith('sandbox.lock')));
}
