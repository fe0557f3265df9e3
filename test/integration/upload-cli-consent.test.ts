/**
 * Consent (issue 12, item 5): `gameclips-companion watch A --upload` releases only the clips of
 * the folders it was given. Two folders share one ledger (`--data`): a clip the window added
 * (origin `drop`, still under review) and a clip found in folder B stay reserved and are never
 * uploaded, while A's clip goes to Published.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../main/sandbox/index';
import { FileClipLedger } from '../../main/ledger/file-clip-ledger';
import { bundleBin, startBin } from '../support/cli-process';
import { tempDir } from '../support/clips';
import {
  clipInState,
  dropLargeClip,
  getServiceClip,
  newAccount,
  quietLogger,
  startTestCompanion,
} from './upload-support';

let dir: string;
let cleanup: () => Promise<void>;
let companionBin: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-upload-consent-'));
  companionBin = await bundleBin('gameclips-companion', dir);
}, 60_000);
afterAll(() => cleanup());

describe('watch --upload releases only its own folders', () => {
  it('uploads A’s clip and leaves a window-dropped clip and folder B’s clip reserved', async () => {
    const sandbox = await startSandbox({ dataDir: path.join(dir, 'sandbox'), ffmpegPath: null });
    try {
      const account = await newAccount(sandbox);
      const root = path.join(dir, 'shared');
      const data = path.join(root, 'data');
      const folderA = path.join(dir, 'A');
      await mkdir(folderA, { recursive: true });

      // A window-like run on the same data folder: it watches B (root/Captures) and registers a
      // dropped clip, all under review (no send policy release).
      const { companion, watched: folderB } = await startTestCompanion({
        root,
        custom: { baseUrl: sandbox.baseUrl, account },
        sendPolicy: { kind: 'review' },
      });
      const fromB = await dropLargeClip(folderB, 'from-b.mp4', 2);
      const dropped = await dropLargeClip(path.join(dir, 'A'), 'dropped-in-window.mp4', 2);
      const [decision] = await companion.intake.registerFiles([dropped], 'drop');
      expect(decision?.kind).toBe('accepted');
      const reservedB = await clipInState(companion, fromB, ['reserved']);
      const reservedDrop = await clipInState(companion, dropped, ['reserved']);
      await companion.stop();

      const cli = startBin(
        companionBin,
        [
          ...['watch', folderA, '--upload', '--json', '--data', data],
          ...['--service', sandbox.baseUrl, '--scid', account.scid],
        ],
        { GAMECLIPS_AUTHORIZATION: account.authorization },
      );
      let fromA: string;
      let published: { gameClipId: string };
      try {
        await cli.waitForLine((line) => line.includes('"ready"'));
        fromA = await dropLargeClip(folderA, 'from-a.mp4', 2);
        published = JSON.parse(
          await cli.waitForLine((line) => line.includes('"clip.published"')),
        ) as { gameClipId: string };
      } finally {
        cli.child.kill('SIGTERM');
        expect(await cli.exited).toBe(0);
      }
      // Only A's own clip went: the dropped one sits in A too, but the window made it.
      expect(cli.lines.filter((line) => line.includes('"clip.published"'))).toHaveLength(1);
      expect(cli.lines.filter((line) => line.includes('"upload.completed"'))).toHaveLength(1);
      // The CLI has let go of the data folder: read what it left.
      const ledger = await FileClipLedger.open(path.join(data, 'ledger'), quietLogger);
      const a = ledger.all().find((record) => record.file.path === fromA);
      expect(a?.reservation?.gameClipId).toBe(published.gameClipId);
      for (const kept of [reservedB, reservedDrop]) {
        expect(ledger.get(kept.id)?.state).toBe('reserved');
        expect(ledger.get(kept.id)?.upload).toBeUndefined();
        const { clip } = await getServiceClip(
          sandbox.baseUrl,
          account,
          kept.reservation!.gameClipId,
        );
        expect(clip?.state).toBe('PendingUpload');
      }
    } finally {
      await sandbox.close();
    }
  }, 240_000);
});
