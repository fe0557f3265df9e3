/**
 * A list of clip cards by id. The list knows only ids; each row subscribes to its own clip, so
 * typing in one caption or a progress tick never re-renders the others.
 */
import { memo } from 'react';
import { ClipCard } from './clip-card';

const ClipCardRow = memo(ClipCard);

/** Renders one card per id, in the order given. */
export function PendingList({ ids, label }: { ids: readonly string[]; label: string }) {
  return (
    <ol className="clip-list" aria-label={label}>
      {ids.map((id) => (
        <li key={id} className="clip-list__item">
          <ClipCardRow clipId={id} />
        </li>
      ))}
    </ol>
  );
}
