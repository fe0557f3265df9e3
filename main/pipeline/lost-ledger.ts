/**
 * Records the ledger lost, found again on the service (issue 13 items 5-6).
 *
 * A ledger folder that vanished (deleted, restored from an old backup) or records set aside as
 * damaged must not cost a second upload: the clips are on the service, carrying the content id
 * derived from the file (content-id.ts). `ledgerLooksLost` tells a data folder that was used
 * before from a new one; `adoptionFor` decides, for one clip about to be reserved, which service
 * clip it is (a Published or committed one is adopted) and which reservations are orphans (a
 * PendingUpload nobody can upload to any more: deleted through the delete queue).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { correlationIdOf } from '../../app/gameclips/request';
import type { GameClip } from '../../app/gameclips/wire';
import { writeFileAtomic } from '../util/atomic-file';
import type { ClipLedger } from '../ledger/clip-ledger';
import { contentIdOfProperties } from './content-id';
import { deleteQueueFileOf } from './delete-queue';

/** Written in the data folder after the first reservation: the folder has been used. */
export function usedMarkerFileOf(dataDir: string): string {
  return path.join(dataDir, 'pipeline-used');
}

export async function markPipelineUsed(file: string): Promise<void> {
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) await writeFileAtomic(file, `${new Date().toISOString()}\n`);
}

/**
 * An empty ledger in a data folder that shows previous use: the marker, a non-empty upload
 * journal folder, a delete queue, or the built-in sandbox's account.
 */
export async function ledgerLooksLost(dataDir: string, ledger: ClipLedger): Promise<boolean> {
  if (ledger.all().length > 0) return false;
  const exists = (file: string) =>
    stat(file).then(
      () => true,
      () => false,
    );
  if (await exists(usedMarkerFileOf(dataDir))) return true;
  if (await exists(deleteQueueFileOf(dataDir))) return true;
  if (await exists(path.join(dataDir, 'sandbox-account.json'))) return true;
  const journals = await readdir(path.join(dataDir, 'upload-journal')).catch(() => []);
  return journals.length > 0;
}

/** Service states in which the bytes are committed: the clip is adopted, not uploaded again. */
const COMMITTED = new Set(['Uploaded', 'Processing', 'Processed', 'Publishing', 'Published']);

export interface Adoption {
  /** The service clip this record is (Published preferred), if any. */
  readonly adopt?: GameClip;
  /** Reservations of the same content nobody can upload to: to delete. */
  readonly orphans: readonly string[];
}

/**
 * Which of `clips` carry `contentId` and belong to no record the ledger still has (`knownIds`:
 * a clip reserved by a live record is that record's, never adopted by another).
 */
export function adoptionFor(
  contentId: string,
  clips: readonly GameClip[],
  knownIds: ReadonlySet<string>,
): Adoption {
  const mine = clips.filter((clip) => {
    if (contentIdOfProperties(clip.systemProperties) !== contentId) return false;
    const owner = correlationIdOf(clip.systemProperties);
    return owner === undefined || !knownIds.has(owner);
  });
  const committed = mine.filter((clip) => COMMITTED.has(clip.state));
  const adopt = committed.find((clip) => clip.state === 'Published') ?? committed[0];
  return {
    ...(adopt ? { adopt } : {}),
    orphans: mine.filter((clip) => clip.state === 'PendingUpload').map((clip) => clip.gameClipId),
  };
}
