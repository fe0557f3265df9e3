/** What the intake tells the rest of the app, and what the composition root gives it. */
import type { ClipDraft, ClipProbe, ClipRecord } from '../../app/clip/clip';
import type { IntakeStatus } from '../../app/ipc/contract';
import type { Logger } from '../util/logger';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { FolderWatcher } from './folder-watcher';

export interface IntakeEvents {
  detected(record: ClipRecord): void;
  /** Refused before any POST; for a duplicate, `duplicateOf` is the clip it repeats. */
  rejected(record: ClipRecord, duplicateOf?: ClipRecord): void;
  /** A file stayed structurally unfinished past the timeout; it is not reserved. */
  incomplete?(record: ClipRecord): void;
  /** A reserved clip's file was deleted or moved out of the roots; it keeps its reservation. */
  missing?(record: ClipRecord): void;
  statusChanged(status: IntakeStatus): void;
}

export interface ClipIntakeDeps {
  readonly ledger: ClipLedger;
  readonly watcher: FolderWatcher;
  readonly logger: Logger;
  readonly events: IntakeEvents;
  /** Called once for every new clip that passed the gate; the pipeline reserves it. */
  readonly onClipReady: (record: ClipRecord) => void;
  /** The draft a new clip starts with (app/clip/draft.ts), given the probe once it is known. */
  readonly initialDraft: (filePath: string, probe?: ClipProbe) => ClipDraft;
  readonly stabilityMs?: number;
  readonly debounceMs?: number;
  readonly reconcileIntervalMs?: number;
  /** How long a file may stay structurally unfinished before it is flagged `incomplete`. */
  readonly incompleteAfterMs?: number;
  readonly fragmentQuietMs?: number;
  readonly pollingIntervalMs?: number;
  /** How soon a root in error is tried again (a drive plugged back in). */
  readonly errorRetryMs?: number;
  /** How often each root's own identity is checked (deleted, re-created, replaced). */
  readonly rootCheckMs?: number;
  /** The name of the root's file system when it delivers no change events (NFS, SMB, FUSE...). */
  readonly eventlessFileSystem?: (root: string) => Promise<string | undefined>;
}
