/**
 * A clip's chosen frame, small, for its row: the local file through main's media protocol, paused
 * at the frame (a media fragment), or a quiet placeholder when the file cannot be played.
 */
import { useState } from 'react';
import type { ClipView } from '../../../app/clip/views';
import { t } from '../../../app/i18n/translate';
import { clipMediaUrl } from './frames';

/** The frame a row shows: the chosen one, else one second in (the first is often black). */
export function rowFrameMs(clip: Pick<ClipView, 'thumbnailOffsetMs' | 'durationSeconds'>): number {
  if (clip.thumbnailOffsetMs !== undefined) return clip.thumbnailOffsetMs;
  const duration = (clip.durationSeconds ?? 0) * 1000;
  return Math.min(1000, duration / 2);
}

export function ClipThumb({ clip, show }: { clip: ClipView; show: boolean }) {
  const [failed, setFailed] = useState(false);
  const playable = show && !failed && clip.state !== 'rejected' && clip.state !== 'missing';
  return (
    <div className="clip-thumb" aria-hidden="true">
      {playable ? (
        <video
          className="clip-thumb__video"
          src={`${clipMediaUrl(clip.id)}#t=${(rowFrameMs(clip) / 1000).toFixed(2)}`}
          preload="metadata"
          muted
          playsInline
          tabIndex={-1}
          data-testid="clip-thumb"
          onError={() => setFailed(true)}
        />
      ) : (
        <span className="clip-thumb__placeholder">{t('thumb.none')}</span>
      )}
    </div>
  );
}
