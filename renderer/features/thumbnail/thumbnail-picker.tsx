/**
 * The thumbnail picker: the clip's own frames from the local file (through main's media
 * protocol), a filmstrip to jump, a slider to scrub, and "Use this frame", which saves the offset
 * with the draft and hands main the two PNGs GameClips takes (754x424 and 370x208).
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { ErrorView } from '../../../app/errors';
import { formatOffset } from '../../../app/i18n/format';
import { errorSentence, t } from '../../../app/i18n/translate';
import { selectThumbnailOffset } from '../../stores/clips-selectors';
import { useClips, useClipsActions, useSettings } from '../../stores/stores-context';
import {
  clipMediaUrl,
  drawFrame,
  filmstripOffsets,
  offscreenVideo,
  seekTo,
  thumbnailsAt,
  whenLoaded,
} from './frames';

const FILMSTRIP_FRAMES = 8;
const FILMSTRIP_SIZE = { width: 160, height: 90 } as const;

type PickerStatus =
  | { readonly phase: 'idle' }
  | { readonly phase: 'saving' }
  | { readonly phase: 'saved' }
  | { readonly phase: 'failed'; readonly error: ErrorView | { readonly message: string } };

export function ThumbnailPicker({
  clipId,
  durationSeconds,
}: {
  clipId: string;
  durationSeconds: number | undefined;
}) {
  const chosen = useClips((state) => selectThumbnailOffset(state, clipId));
  const fallback = useSettings((state) => state.view?.settings.defaults.thumbnailOffsetMs) ?? 0;
  const durationMs = Math.max(0, Math.round((durationSeconds ?? 0) * 1000));
  const actions = useClipsActions();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [position, setPosition] = useState(() => Math.min(chosen ?? fallback, durationMs));
  const [frames, setFrames] = useState<ReadonlyArray<{ offset: number; url: string }>>([]);
  const [status, setStatus] = useState<PickerStatus>({ phase: 'idle' });
  const [playable, setPlayable] = useState(true);
  const sliderId = useId();

  // The filmstrip is drawn off-screen, frame by frame, so the first ones show early.
  useEffect(() => {
    let cancelled = false;
    const video = offscreenVideo(clipId);
    void (async () => {
      try {
        await whenLoaded(video);
        for (const offset of filmstripOffsets(durationMs, FILMSTRIP_FRAMES)) {
          if (cancelled) return;
          await seekTo(video, offset);
          const url = drawFrame(video, FILMSTRIP_SIZE).toDataURL('image/jpeg', 0.8);
          if (!cancelled) setFrames((list) => [...list, { offset, url }]);
        }
      } catch {
        if (!cancelled) setPlayable(false);
      }
    })();
    return () => {
      cancelled = true;
      video.removeAttribute('src');
      video.load();
    };
  }, [clipId, durationMs]);

  function show(offset: number) {
    const clamped = Math.min(Math.max(0, offset), durationMs);
    setPosition(clamped);
    setStatus({ phase: 'idle' });
    const video = videoRef.current;
    if (video !== null) video.currentTime = clamped / 1000;
  }

  async function saveChosenFrame() {
    const video = videoRef.current;
    setStatus({ phase: 'saving' });
    await actions.fieldChosen(clipId, { thumbnailOffsetMs: position });
    if (video === null) return;
    try {
      await whenLoaded(video);
      const images = await thumbnailsAt(video, position);
      const error = await actions.thumbnailRendered(clipId, { offsetMs: position, ...images });
      setStatus(error === undefined ? { phase: 'saved' } : { phase: 'failed', error });
    } catch (cause) {
      setStatus({
        phase: 'failed',
        error: { message: cause instanceof Error ? cause.message : String(cause) },
      });
    }
  }

  if (!playable)
    return (
      <section className="picker" aria-label={t('picker.title')}>
        <h3 className="field-label">{t('picker.title')}</h3>
        <p className="muted">{t('picker.unplayable')}</p>
      </section>
    );

  return (
    <section
      className="picker"
      aria-labelledby={`${sliderId}-title`}
      data-testid="thumbnail-picker"
    >
      <h3 className="field-label" id={`${sliderId}-title`}>
        {t('picker.title')}
      </h3>
      <div className="picker__stage">
        <video
          ref={videoRef}
          className="picker__video"
          src={clipMediaUrl(clipId)}
          crossOrigin="anonymous"
          preload="auto"
          muted
          playsInline
          data-testid="picker-video"
          onLoadedData={(event) => {
            event.currentTarget.currentTime = position / 1000;
          }}
          onError={() => setPlayable(false)}
        />
      </div>
      <ol className="filmstrip" aria-label={t('picker.filmstrip')}>
        {filmstripOffsets(durationMs, FILMSTRIP_FRAMES).map((offset) => {
          const frame = frames.find((item) => item.offset === offset);
          return (
            <li key={offset}>
              <button
                type="button"
                className="filmstrip__frame"
                aria-label={t('picker.frameAt', { time: formatOffset(offset) })}
                aria-pressed={position === offset}
                data-testid="filmstrip-frame"
                data-offset={offset}
                onClick={() => show(offset)}
              >
                {frame ? <img src={frame.url} alt="" /> : <span className="filmstrip__empty" />}
              </button>
            </li>
          );
        })}
      </ol>
      <div className="picker__scrub">
        <label htmlFor={sliderId} className="field-label">
          {t('picker.scrub')}
        </label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={durationMs}
          step={100}
          value={position}
          data-testid="picker-scrub"
          aria-valuetext={formatOffset(position)}
          onChange={(event) => show(Number(event.target.value))}
        />
        <output htmlFor={sliderId} className="num" data-testid="picker-position">
          {formatOffset(position)}
        </output>
      </div>
      <div className="picker__actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="use-frame"
          disabled={status.phase === 'saving'}
          onClick={() => void saveChosenFrame()}
        >
          {t('picker.use')}
        </button>
        <span className="muted small" data-testid="picker-status" role="status">
          {status.phase === 'saving'
            ? t('picker.saving')
            : status.phase === 'saved'
              ? t('picker.saved', { time: formatOffset(chosen ?? position) })
              : status.phase === 'failed'
                ? t('picker.failed', {
                    message:
                      'code' in status.error ? errorSentence(status.error) : status.error.message,
                  })
                : chosen !== undefined
                  ? t('picker.current', { time: formatOffset(chosen) })
                  : t('picker.default')}
        </span>
      </div>
    </section>
  );
}
