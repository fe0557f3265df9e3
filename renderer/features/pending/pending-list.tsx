/**
 * A virtualized list of clip rows by id: only the rows in view (and a few either side) are in
 * the DOM, so 5,000 clips mount as fast as ten (quality-bars.md P5). Rows subscribe to their own
 * clip, so typing in one caption or a progress tick never re-renders the others.
 *
 * Row positions are set through the CSSOM (`style` props), which the CSP's `style-src 'self'`
 * allows; only inline style *attributes* in markup would be refused.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { markStart } from '../../perf-marks';
import { useUi } from '../../stores/stores-context';
import { ClipCardRow } from './clip-card';

/** A first guess of a row's height; each row is measured once drawn. */
const ESTIMATED_ROW_PX = 104;

export function PendingList({
  ids,
  label,
  showThumbs = true,
  selectable = true,
  initialHeight = 800,
}: {
  ids: readonly string[];
  label: string;
  showThumbs?: boolean;
  selectable?: boolean;
  /** The viewport assumed before the first measurement (server render, tests). */
  initialHeight?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: 6,
    getItemKey: (index) => ids[index] ?? index,
    initialRect: { width: 800, height: initialHeight },
  });
  const items = virtualizer.getVirtualItems();
  // A clip opened from elsewhere (a notification, the tray) is scrolled into view.
  const openClipId = useUi((state) => state.openClipId);
  useEffect(() => {
    if (openClipId === undefined) return;
    const index = ids.indexOf(openClipId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [openClipId, ids, virtualizer]);
  const hasRows = items.length > 0;
  useEffect(() => {
    if (hasRows) markStart('clips-listed');
  }, [hasRows]);
  return (
    <div className="clip-scroll" ref={scrollRef} data-testid="clip-scroll">
      <ol
        className="clip-list"
        aria-label={label}
        style={{ height: `${virtualizer.getTotalSize()}px` }}
      >
        {items.map((item) => {
          const id = ids[item.index];
          if (id === undefined) return null;
          return (
            <li
              key={item.key}
              className="clip-list__item"
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{ transform: `translateY(${item.start}px)` }}
              aria-setsize={ids.length}
              aria-posinset={item.index + 1}
            >
              <ClipCardRow clipId={id} order={ids} showThumb={showThumbs} selectable={selectable} />
            </li>
          );
        })}
      </ol>
    </div>
  );
}
