/**
 * A virtualized list of clip rows by id: only the rows in view (and a few either side) are in
 * the DOM, so 5,000 clips mount as fast as ten (quality-bars.md P5). Rows subscribe to their own
 * clip, so typing in one caption or a progress tick never re-renders the others.
 *
 * Row positions are set through the CSSOM (`style` props), which the CSP's `style-src 'self'`
 * allows; only inline style *attributes* in markup would be refused.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { afterNextPaint, markStart } from '../../perf-marks';
import { useUi } from '../../stores/stores-context';
import type { ListName } from '../../stores/ui-store';
import { useWindowMemory } from '../../stores/window-memory';
import { ClipCardRow } from './clip-card';

/**
 * A first guess of a row's height; each row is measured once drawn. It is a plain row's laid-out
 * height (a 16:9 thumbnail 112 px wide, padding and the gap), so a list of plain rows is placed
 * right the first time and not laid out again when they are measured.
 */
const ESTIMATED_ROW_PX = 101;

export function PendingList({
  ids,
  label,
  showThumbs = true,
  selectable = true,
  initialHeight = 800,
  list,
}: {
  ids: readonly string[];
  label: string;
  showThumbs?: boolean;
  selectable?: boolean;
  /** The viewport assumed before the first measurement (server render, tests). */
  initialHeight?: number;
  /** Which list this is: its scroll position is kept across a close to the tray. */
  list?: ListName;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // A window built again after a close to the tray: the list opens where the last one was
  // (window-memory.ts), placed by its first clip in view, which wins over the open clip.
  const memory = useWindowMemory();
  const openClipId = useUi((state) => state.openClipId);
  const [restored] = useState(() => {
    const position = list ? memory?.restoredScroll(list) : undefined;
    const index = position ? ids.indexOf(position.clipId) : -1;
    // Rows not drawn yet are placed at their estimate, so this is where that clip's row is.
    return position && index >= 0
      ? { index, offset: index * ESTIMATED_ROW_PX + position.offsetPx }
      : undefined;
  });
  const restoredOffset = restored?.offset;
  // The open clip the restored place was kept with: not scrolled into view over it.
  const keptPlaceFor = useRef(restoredOffset === undefined ? undefined : openClipId);
  useEffect(() => {
    if (list) memory?.forgetRestoredScroll(list);
  }, [memory, list]);
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: 3,
    getItemKey: (index) => ids[index] ?? index,
    initialRect: { width: 800, height: initialHeight },
    ...(restoredOffset !== undefined ? { initialOffset: restoredOffset } : {}),
  });
  // While the list settles there, rows drawn and measured above that clip keep it in place, and
  // rows below it do not push it away; the user's first scroll gives this back to the list.
  const [settling, setSettling] = useState(restored !== undefined);
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange =
    settling && restored ? (item) => item.index < restored.index : undefined;
  const settled = () => {
    if (settling) setSettling(false);
  };
  const items = virtualizer.getVirtualItems();
  // A clip opened from elsewhere (a notification, the tray) is scrolled into view.
  useEffect(() => {
    if (openClipId === undefined || openClipId === keptPlaceFor.current) return;
    keptPlaceFor.current = undefined;
    const index = ids.indexOf(openClipId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [openClipId, ids, virtualizer]);
  const hasRows = items.length > 0;
  useEffect(() => {
    // Marked once the rows are on screen, not when React hands them to the page.
    if (hasRows) void afterNextPaint().then(() => markStart('clips-listed'));
  }, [hasRows]);
  return (
    <div
      className="clip-scroll"
      ref={scrollRef}
      data-testid="clip-scroll"
      onWheel={settled}
      onPointerDown={settled}
      onKeyDown={settled}
      onTouchStart={settled}
      onScroll={(event) => {
        if (!memory || !list) return;
        const top = event.currentTarget.scrollTop;
        const first = virtualizer.getVirtualItemForOffset(top);
        const clipId = first ? ids[first.index] : undefined;
        memory.scrolled(
          list,
          first && clipId !== undefined
            ? { clipId, offsetPx: Math.max(0, Math.round(top - first.start)) }
            : undefined,
        );
      }}
    >
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
