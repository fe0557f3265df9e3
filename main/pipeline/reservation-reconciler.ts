/**
 * What the reservation service asks the service before reserving: earlier reservations of the
 * same clip (orphans of an ambiguous attempt) are removed, and after lost records a clip already
 * on the service is adopted instead of reserved twice (issue 13 items 5-6).
 */
import {
  clipPublished,
  reservationSucceeded,
  uploadProcessing,
  type ClipRecord,
} from '../../app/clip/clip';
import { classifyFailure } from '../../app/gameclips/failure';
import { correlationIdOf } from '../../app/gameclips/request';
import { contentIdOfRecord } from './content-id';
import { adoptionFor, type Adoption } from './lost-ledger';
import type { ReservationServiceDeps } from './reservation-service';
import { consistentInventory, type InventoryResult } from './service-inventory';

export class ReservationReconciler {
  /** One consistent inventory per run after lost records (reconcileLost() forgets it). */
  private lostInventory: Promise<InventoryResult> | undefined;

  constructor(
    private readonly deps: ReservationServiceDeps,
    /** Reschedules the clip (reconcile later), or blocks it when its retries are spent. */
    private readonly reconcileOrBlock: (record: ClipRecord, detail: string) => Promise<void>,
  ) {}

  /** Records were lost again: the next clip reads the service afresh. */
  forgetInventory(): void {
    this.lostInventory = undefined;
  }

  /**
   * Deletes every reservation that carries this clip's correlation id. Its upload URIs were
   * never received, so it cannot be adopted; deleting it keeps quota and the user's list clean.
   * Returns false when the service cannot be asked right now (the clip is rescheduled).
   */
  async removeOrphans(record: ClipRecord): Promise<boolean> {
    const { client, scid, logger } = this.deps;
    // A consistent view: a clip deleted between two pages must not hide the orphan (item 9).
    const inventory = await consistentInventory(client, scid, this.deps.inventory);
    if (!inventory.ok) {
      logger.warn('reservation: cannot list clips to reconcile; will retry', {
        id: record.id,
        reason: inventory.reason,
      });
      await this.reconcileOrBlock(record, 'Checking for an earlier reservation failed.');
      return false;
    }
    const ours = inventory.clips
      .filter((clip) => correlationIdOf(clip.systemProperties) === record.id)
      .map((clip) => clip.gameClipId);
    for (const gameClipId of ours) {
      if (this.deps.deleteQueue) {
        // Durable: the queue deletes it even if this process stops right now.
        await this.deps.deleteQueue.add({ scid, gameClipId, clipId: record.id, reason: 'orphan' });
        logger.info('reservation: queued an orphaned reservation for deletion', {
          id: record.id,
          gameClipId,
        });
        continue;
      }
      const deleted = await client.deleteClip(scid, gameClipId);
      if (!deleted.ok && classifyFailure('delete', deleted.failure).kind !== 'done') {
        await this.reconcileOrBlock(record, 'Removing an earlier reservation failed.');
        return false;
      }
      logger.info('reservation: removed an orphaned reservation', { id: record.id, gameClipId });
    }
    return true;
  }

  /**
   * After lost records: one consistent inventory of the service (taken once for this run), then
   * the clip is adopted, its orphan queued for deletion, or reserved. 'done' when it was adopted
   * or the service could not be read (the clip is rescheduled).
   */
  async reconcileWithService(record: ClipRecord): Promise<'reserve' | 'done'> {
    const { client, scid, ledger, logger } = this.deps;
    this.lostInventory ??= consistentInventory(client, scid, this.deps.inventory);
    const inventory = await this.lostInventory;
    if (!inventory.ok) {
      this.lostInventory = undefined;
      await this.reconcileOrBlock(record, 'Checking the service for clips the app lost failed.');
      return 'done';
    }
    const adoption: Adoption = adoptionFor(
      contentIdOfRecord(record, ledger.all()),
      inventory.clips,
      new Set(ledger.all().map((other) => other.id)),
    );
    for (const gameClipId of adoption.orphans) {
      if (this.deps.deleteQueue)
        await this.deps.deleteQueue.add({
          scid,
          gameClipId,
          clipId: record.id,
          reason: 'orphan of a lost record',
        });
      else await client.deleteClip(scid, gameClipId);
    }
    const clip = adoption.adopt;
    if (!clip) return 'reserve';
    const latest = ledger.get(record.id) ?? record;
    const reserved = reservationSucceeded(
      latest,
      { gameClipId: clip.gameClipId, uploadUri: '' },
      { serviceUrl: client.baseUrl, scid },
      now(),
    );
    const adopted =
      clip.state === 'Published'
        ? clipPublished(reserved, { recordedAt: now() }, now())
        : uploadProcessing(reserved, clip.state, now());
    await ledger.put(adopted);
    logger.info('reservation: a lost clip was found on the service and adopted', {
      id: record.id,
      gameClipId: clip.gameClipId,
      state: clip.state,
    });
    this.deps.events.adopted?.(adopted);
    return 'done';
  }
}

function now(): string {
  return new Date().toISOString();
}
