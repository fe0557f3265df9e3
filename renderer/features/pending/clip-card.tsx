/**
 * One clip: what the file is, where its GameClips reservation stands, what went wrong in plain
 * words, and its caption while it is still the user's to edit.
 */
import { memo, type ReactNode } from 'react';
import type { ClipState } from '../../../app/clip/clip';
import type { ClipView } from '../../../app/clip/views';
import { assertNever } from '../../../app/errors';
import {
  formatDuration,
  formatMegabytes,
  formatPercent,
  formatRecordedAt,
} from '../../i18n/format';
import { currentLocale, t } from '../../i18n/translate';
import type { MessageKey } from '../../i18n/en';
import { sectionOf, selectClip } from '../../stores/clips-selectors';
import { useClips } from '../../stores/stores-context';
import { CaptionEditor } from './caption-editor';

const CaptionEditorRow = memo(CaptionEditor);

/** How a state looks: its words and its colour family. */
export type BadgeTone = 'neutral' | 'progress' | 'ready' | 'success' | 'warning' | 'danger';

/** The badge of a state; exhaustive so a new state cannot ship without words. */
export function stateBadge(state: ClipState): {
  readonly label: MessageKey;
  readonly tone: BadgeTone;
} {
  switch (state) {
    case 'reserving':
      return { label: 'state.reserving', tone: 'progress' };
    case 'waiting-retry':
      return { label: 'state.waiting-retry', tone: 'warning' };
    case 'reserved':
      return { label: 'state.reserved', tone: 'ready' };
    case 'uploading':
      return { label: 'state.uploading', tone: 'progress' };
    case 'processing':
      return { label: 'state.processing', tone: 'progress' };
    case 'published':
      return { label: 'state.published', tone: 'success' };
    case 'blocked':
      return { label: 'state.blocked', tone: 'danger' };
    case 'rejected':
      return { label: 'state.rejected', tone: 'danger' };
    case 'failed':
      return { label: 'state.failed', tone: 'danger' };
    case 'missing':
      return { label: 'state.missing', tone: 'neutral' };
    case 'paused':
      return { label: 'state.paused', tone: 'neutral' };
    case 'cancelled':
      return { label: 'state.cancelled', tone: 'neutral' };
    case 'incomplete':
      return { label: 'state.incomplete', tone: 'danger' };
    default:
      return assertNever(state);
  }
}

function StateBadge({ clip }: { clip: ClipView }) {
  const badge = stateBadge(clip.state);
  const text =
    clip.state === 'uploading' && clip.progress !== undefined
      ? t('state.uploadingProgress', { percent: formatPercent(clip.progress, currentLocale()) })
      : t(badge.label);
  return (
    <span className={`badge badge--${badge.tone}`} data-testid="clip-state" data-state={clip.state}>
      {text}
    </span>
  );
}

/** The presentational card, from one `ClipView`; the editor slot is filled by the connected card. */
export function ClipCardView({ clip, editor }: { clip: ClipView; editor?: ReactNode }) {
  const locale = currentLocale();
  const recorded =
    clip.recordedAt === undefined ? undefined : formatRecordedAt(clip.recordedAt, locale);
  const warnOnly = clip.state === 'waiting-retry';
  return (
    <article
      className={`clip-card clip-card--${sectionOf(clip.state)}`}
      data-testid="clip-card"
      data-clip-id={clip.id}
      data-state={clip.state}
      aria-labelledby={`clip-${clip.id}-name`}
    >
      <header className="clip-card__head">
        <h3 className="clip-card__name" id={`clip-${clip.id}-name`} title={clip.fileName}>
          {clip.fileName}
        </h3>
        <StateBadge clip={clip} />
      </header>
      <dl className="clip-card__facts">
        {clip.durationSeconds !== undefined ? (
          <div className="fact fact--duration">
            <dt>{t('card.duration')}</dt>
            <dd className="num">{formatDuration(clip.durationSeconds)}</dd>
          </div>
        ) : null}
        <div className="fact fact--size">
          <dt>{t('card.size')}</dt>
          <dd className="num">{formatMegabytes(clip.sizeBytes, locale)}</dd>
        </div>
        {recorded !== undefined && clip.recordedAt !== undefined ? (
          <div className="fact fact--recorded">
            <dt>{t('card.recorded')}</dt>
            <dd>
              <time dateTime={clip.recordedAt}>{recorded}</time>
            </dd>
          </div>
        ) : null}
        <div className="fact fact--id">
          <dt>{t('card.gameClipId')}</dt>
          <dd>
            {clip.gameClipId !== undefined ? (
              <code className="clip-id" data-testid="game-clip-id" title={clip.gameClipId}>
                {clip.gameClipId}
              </code>
            ) : (
              <span className="muted">{t('card.noGameClipId')}</span>
            )}
          </dd>
        </div>
      </dl>
      {clip.state === 'uploading' && clip.progress !== undefined ? (
        <progress
          className="clip-card__progress"
          max={1}
          value={Math.min(1, Math.max(0, clip.progress))}
          aria-label={t('card.uploadProgress')}
        />
      ) : null}
      {clip.error !== undefined ? (
        <p
          className={warnOnly ? 'clip-card__error clip-card__error--warning' : 'clip-card__error'}
          data-testid="clip-error"
          data-code={clip.error.code}
        >
          {clip.error.message}
          {clip.error.detail ? <span className="error-detail"> {clip.error.detail}</span> : null}
        </p>
      ) : null}
      {editor ??
        (clip.caption.length > 0 ? (
          <p className="clip-card__caption">
            <span className="muted">{t('card.caption')}: </span>
            {clip.caption}
          </p>
        ) : null)}
    </article>
  );
}

/**
 * A card subscribed to its own clip by id, so a progress tick on one clip re-renders that card
 * alone. The caption editor is offered while the clip is still pending.
 */
export function ClipCard({ clipId }: { clipId: string }) {
  const clip = useClips((state) => selectClip(state, clipId));
  if (clip === undefined) return null;
  const editable = sectionOf(clip.state) === 'pending';
  return (
    <ClipCardView
      clip={clip}
      editor={editable ? <CaptionEditorRow clipId={clipId} /> : undefined}
    />
  );
}
