/**
 * What the intake decides for a file the gate let through (or one that never finished): a new
 * clip, the same clip moved or back, a duplicate or remux of another, a refusal, or `incomplete`.
 * Every outcome is written to the ledger here; the scheduler (clip-intake.ts) only runs the gate.
 */
import { randomUUID } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import {
  incompleteClipRecord,
  clipFileReturned,
  newClipRecord,
  rejectedClipRecord,
  type ClipOrigin,
  type ClipProbe,
  type ClipRecord,
} from '../../app/clip/clip';
import { baseName } from '../../app/clip/display-name';
import { errorView, type AppErrorCode } from '../../app/errors';
import { codecFamily } from '../../app/intake/codec';
import {
  isPipelineOwned,
  isRestorable,
  isReusableOutcome,
  sameContent,
} from '../../app/intake/known-path';
import type { IntakeDecision } from '../../app/intake/register-outcome';
import type { GateResult } from './completion-gate';
import type { ClipIntakeDeps } from './intake-types';
import type { PathIndex } from './path-index';

export class IntakeDecider {
  constructor(
    private readonly deps: ClipIntakeDeps,
    private readonly index: PathIndex,
  ) {}

  async flagIncomplete(
    filePath: string,
    origin: ClipOrigin,
    reason: string,
  ): Promise<IntakeDecision> {
    const records = this.index.recordsAt(filePath);
    const existing = records.find(isReusableOutcome);
    const info = await lstat(filePath).catch(() => undefined);
    if (!info) return { kind: 'gone', path: filePath };
    const owned = records.find(isPipelineOwned);
    if (owned) return { kind: 'known', record: owned };
    if (origin === 'drop')
      return { kind: 'refused', path: filePath, error: errorView('intake/incomplete', reason) };
    const now = new Date().toISOString();
    const record = incompleteClipRecord({
      id: existing?.id ?? randomUUID(),
      origin,
      file: { path: filePath, size: info.size, mtimeMs: info.mtimeMs, fingerprint: '' },
      error: errorView('intake/incomplete', reason),
      draft: existing?.draft ?? this.deps.initialDraft(filePath),
      now,
    });
    await this.deps.ledger.put(record);
    if (existing?.state !== 'incomplete') this.deps.events.incomplete?.(record);
    this.deps.logger.info('intake: file stays unfinished; flagged incomplete', {
      path: filePath,
      reason,
    });
    return { kind: 'incomplete', record };
  }

  async decide(
    filePath: string,
    result: Exclude<GateResult, { kind: 'wait' | 'gone' }>,
    origin: ClipOrigin,
  ): Promise<IntakeDecision> {
    const { ledger, events } = this.deps;
    const now = new Date().toISOString();
    const records = this.index.recordsAt(filePath);
    // Only an outcome's record is reused: a clip's id is its correlation id on the service.
    const existing = records.find(isReusableOutcome);
    const reusableId = existing?.id ?? randomUUID();
    // A file handed in from the window that fails the gate leaves no record (issue 14, item 4).
    if (result.kind === 'reject' && origin === 'drop')
      return { kind: 'refused', path: filePath, error: errorView(result.code, result.detail) };
    if (result.kind === 'reject') {
      const record = await this.reject(
        reusableId,
        filePath,
        origin,
        result.identity,
        undefined,
        result.code,
        result.detail,
        now,
      );
      return { kind: 'rejected', record };
    }
    const { identity, probe } = result;
    const same = sameContent(records, identity);
    if (same && isRestorable(same)) {
      // The missing clip's file is back where it was: the clip resumes with its reservation.
      const restored = clipFileReturned(same, identity, now);
      await ledger.put(restored);
      this.deps.logger.info('intake: the missing file is back', { path: filePath });
      return { kind: 'moved', record: restored };
    }
    if (same) {
      // The same path with new times but the same content (touched, copied over itself).
      if (same.file.mtimeMs === identity.mtimeMs) return { kind: 'known', record: same };
      const updated = { ...same, file: identity, updatedAt: now };
      await ledger.put(updated);
      return { kind: 'known', record: updated };
    }
    // Other content under a clip the pipeline owns: the uploader checks the file before it sends.
    const owned = records.find(isPipelineOwned);
    if (owned) return { kind: 'known', record: owned };
    // Nothing here yet, an outcome, or a finished clip's path holding a new file: decided afresh.
    const twinDecision = await this.decideTwin(filePath, result, origin, existing, reusableId, now);
    if (twinDecision) return twinDecision;
    const record = newClipRecord({
      id: reusableId,
      origin,
      file: identity,
      probe,
      // A draft nobody edited was made before the probe (an incomplete file): make it again now.
      draft: existing?.draftEditedAt ? existing.draft : this.deps.initialDraft(filePath, probe),
      now,
    });
    await ledger.put(record);
    events.detected(record);
    this.deps.onClipReady(record);
    return { kind: 'accepted', record };
  }

  /**
   * A file another clip's record repeats (findTwin): that clip moved here when its file is gone
   * from where it was, otherwise this one is refused as its duplicate. Undefined: no twin.
   */
  private async decideTwin(
    filePath: string,
    result: Extract<GateResult, { kind: 'ready' }>,
    origin: ClipOrigin,
    existing: ClipRecord | undefined,
    reusableId: string,
    now: string,
  ): Promise<IntakeDecision | undefined> {
    const { ledger } = this.deps;
    const { identity, probe } = result;
    const created = await lstat(filePath).then(
      (info) => (info.birthtimeMs > 0 ? info.birthtimeMs : undefined),
      () => undefined,
    );
    const twin = this.findTwin(filePath, identity, probe, created);
    if (twin) {
      const twinStillThere = await lstat(twin.record.file.path).then(
        (info) => info.size === twin.record.file.size && info.mtimeMs === twin.record.file.mtimeMs,
        () => false,
      );
      if (!twinStillThere) {
        // A rename or a move inside the roots (or a remux twin replacing its original): the same
        // clip; a missing one is back, and a copy whose original was deleted takes its place.
        const moved = isRestorable(twin.record)
          ? clipFileReturned({ ...twin.record, probe }, identity, now)
          : { ...twin.record, file: identity, probe, updatedAt: now };
        await ledger.put(moved);
        if (existing && existing.id !== twin.record.id) await ledger.remove(existing.id);
        this.deps.logger.info('intake: clip moved', {
          from: twin.record.file.path,
          to: filePath,
        });
        return { kind: 'moved', record: moved };
      }
      const record = await this.reject(
        reusableId,
        filePath,
        origin,
        identity,
        probe,
        'intake/duplicate',
        twin.remux
          ? `The same recording as ${baseName(twin.record.file.path)}, in another container (a remux).`
          : `Same content as ${baseName(twin.record.file.path)}.`,
        now,
        twin.record,
      );
      return { kind: 'duplicate', record, of: twin.record };
    }
    return undefined;
  }

  /**
   * A clip already in the ledger that this file repeats: the same bytes (fingerprint and size),
   * or a remux of it (OBS's MKV -> MP4 remux: same folder and name stem, another container, the
   * same video codec, picture size and duration; a remux copies the streams, so all of them agree).
   * A remux reads a finished file, so it is created after the original was last written: two
   * recorders writing side by side are not twins. Without a creation time, no remux is assumed.
   */
  private findTwin(
    filePath: string,
    identity: ClipRecord['file'],
    probe: ClipProbe,
    createdMs: number | undefined,
  ): { record: ClipRecord; remux: boolean } | undefined {
    const stem = (file: string) => path.join(path.dirname(file), path.parse(file).name);
    let remux: ClipRecord | undefined;
    for (const record of this.deps.ledger.all()) {
      if (isReusableOutcome(record) || record.file.path === filePath) continue;
      if (record.file.fingerprint === identity.fingerprint && record.file.size === identity.size)
        return { record, remux: false };
      if (
        !remux &&
        createdMs !== undefined &&
        createdMs >= record.file.mtimeMs &&
        record.probe &&
        stem(record.file.path) === stem(filePath) &&
        record.probe.container !== probe.container &&
        codecFamily(record.probe.videoCodec) === codecFamily(probe.videoCodec) &&
        record.probe.width === probe.width &&
        record.probe.height === probe.height &&
        Math.abs(record.probe.durationSeconds - probe.durationSeconds) < 0.25
      )
        remux = record;
    }
    return remux ? { record: remux, remux: true } : undefined;
  }

  private async reject(
    id: string,
    filePath: string,
    origin: ClipOrigin,
    identity: ClipRecord['file'],
    probe: ClipProbe | undefined,
    code: AppErrorCode,
    detail: string,
    now: string,
    duplicateOf?: ClipRecord,
  ): Promise<ClipRecord> {
    const record = rejectedClipRecord({
      id,
      origin,
      file: { ...identity, path: filePath },
      ...(probe ? { probe } : {}),
      error: errorView(code, detail),
      draft: this.deps.initialDraft(filePath, probe),
      now,
    });
    await this.deps.ledger.put(record);
    this.deps.events.rejected(record, duplicateOf);
    return record;
  }
}
