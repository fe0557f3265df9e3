/**
 * What to send in an UpdateMetadataRequest: the fields of the draft that differ from what the
 * service last received (the reservation's request, or the last update it accepted).
 */
import type { UserVisibility } from '../gameclips/enums';
import type { UpdateMetadataRequest } from '../gameclips/wire';

export interface SentMetadata {
  readonly caption: string;
  readonly visibility: UserVisibility;
}

/** The update to send, or undefined when the service already has the draft. */
export function metadataUpdate(
  draft: SentMetadata,
  sent: SentMetadata,
): UpdateMetadataRequest | undefined {
  const update: { userCaption?: string; visibility?: UserVisibility } = {};
  if (draft.caption !== sent.caption) update.userCaption = draft.caption;
  if (draft.visibility !== sent.visibility) update.visibility = draft.visibility;
  return Object.keys(update).length === 0 ? undefined : update;
}
