/**
 * The clip ledger port: one durable record per clip, the only source of truth for the window,
 * the tray and the CLI.
 */
import type { ClipRecord } from '../../app/clip/clip';

export type LedgerListener = (change: {
  readonly upserted?: ClipRecord;
  readonly removedId?: string;
}) => void;

export interface ClipLedger {
  all(): readonly ClipRecord[];
  get(id: string): ClipRecord | undefined;
  /** Durably replaces the record; resolves once it is on disk. */
  put(record: ClipRecord): Promise<void>;
  remove(id: string): Promise<void>;
  subscribe(listener: LedgerListener): () => void;
  /** Waits for every write in flight. */
  flush(): Promise<void>;
}
