/**
 * The content correlation id (issue 13 items 5-6): derived from the file's identity (its content
 * fingerprint and size), so a clip whose record was lost with the ledger folder, or damaged, is
 * recognised on the service by what it is, not by a random local id nobody remembers.
 *
 * It travels in `systemProperties` next to the record's own id
 * (`gameclips-companion.clip=<record id>;gameclips-companion.content=<content id>;`): the record id
 * stays a random 36-character id (the ledger's file-name rule) and keeps finding the reservation
 * of an ambiguous POST; the content id finds a clip again when the record itself is gone. A clip
 * the user kept anyway as a duplicate of another gets a salt (its record id), so two kept copies
 * of the same bytes are two clips on the service too.
 */
import { createHash } from 'node:crypto';
import type { ClipRecord, FileIdentity } from '../../app/clip/clip';

const CONTENT_PREFIX = 'gameclips-companion.content=';

/** A lowercase 8-4-4-4-12 hex id from the fingerprint and size (and a salt, for kept duplicates). */
export function contentIdOf(
  file: Pick<FileIdentity, 'fingerprint' | 'size'>,
  salt?: string,
): string {
  const hex = createHash('sha256')
    .update(`gameclips-companion.content.v1;${file.size};${file.fingerprint}`)
    .update(salt ? `;salt=${salt}` : '')
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The content id of a record. A record is salted when another kept (not refused) record in the
 * ledger has the same bytes and was created before it: the original stays unsalted, so it is the
 * one a lost ledger finds again; the copy the user kept anyway is a clip of its own.
 */
export function contentIdOfRecord(record: ClipRecord, all: readonly ClipRecord[]): string {
  const earlierTwin = all.some(
    (other) =>
      other.id !== record.id &&
      other.file.fingerprint === record.file.fingerprint &&
      other.file.size === record.file.size &&
      other.state !== 'rejected' &&
      other.state !== 'incomplete' &&
      (other.createdAt < record.createdAt ||
        (other.createdAt === record.createdAt && other.id < record.id)),
  );
  return contentIdOf(record.file, earlierTwin ? record.id : undefined);
}

export function contentProperty(contentId: string): string {
  return `${CONTENT_PREFIX}${contentId};`;
}

/** The content id a clip's `systemProperties` carries, if it is one of ours. */
export function contentIdOfProperties(systemProperties: string | undefined): string | undefined {
  if (systemProperties === undefined) return undefined;
  const start = systemProperties.indexOf(CONTENT_PREFIX);
  if (start < 0) return undefined;
  const rest = systemProperties.slice(start + CONTENT_PREFIX.length);
  const end = rest.indexOf(';');
  return end < 0 ? rest : rest.slice(0, end);
}
