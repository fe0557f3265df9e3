/**
 * Which ledger records lie at each path. A path is not an identity: it may hold a published clip
 * and, later, a new recording saved under the same name, so the index keeps every record seen
 * there and drops the ones that moved away or were removed when it is asked.
 */
import type { ClipRecord } from '../../app/clip/clip';

export class PathIndex {
  private readonly ids = new Map<string, string | Set<string>>();

  constructor(private readonly get: (id: string) => ClipRecord | undefined) {}

  add(filePath: string, id: string): void {
    const held = this.ids.get(filePath);
    if (held === undefined || held === id) this.ids.set(filePath, id);
    else if (typeof held === 'string') this.ids.set(filePath, new Set([held, id]));
    else held.add(id);
  }

  /** The records whose file is at `filePath` now, oldest first. */
  recordsAt(filePath: string): ClipRecord[] {
    const held = this.ids.get(filePath);
    if (held === undefined) return [];
    const records: ClipRecord[] = [];
    for (const id of typeof held === 'string' ? [held] : held) {
      const record = this.get(id);
      if (record?.file.path === filePath) records.push(record);
    }
    if (records.length === 0) this.ids.delete(filePath);
    else if (typeof held !== 'string' && records.length < held.size) {
      const kept = records.map((record) => record.id);
      this.ids.set(filePath, kept.length === 1 ? (kept[0] as string) : new Set(kept));
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
