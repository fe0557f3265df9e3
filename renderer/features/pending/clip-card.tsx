/**
 * One clip as a row of the list: its frame, what the file is, where it stands (with upload
 * progress and time left), what went wrong in one plain sentence with one next step, and the
 * GameClips reservation id on demand.
 */
import { memo, useState, type MouseEvent, type ReactNode } from 'react';
import type { ClipState } from '../../../app/clip/clip';
import type { ClipView } from '../../../app/clip/views';
import type { ErrorAction, ErrorView } from '../../../app/errors';
import { assertNever } from '../../../app/errors';
import type { UserVisibility } from '../../../app/gameclips/enums';
import type { UploadProgressItem } from '../../../app/ipc/contract';
import type { MessageKey } from '../../../app/i18n/en';
import {
  formatDuration,
  formatEta,
  formatMegabytes,
  formatPercent,
  formatRecordedAt,
} from '../../../app/i18n/format';
import { currentLocale, errorSentence, t } from '../../../app/i18n/translate';
import { sectionOf, selectClip, selectCommandError } from '../../stores/clips-selectors';
import { useClips, useClipsActions, useUi, useUiActions } from '../../stores/stores-context';
import { ClipThumb } from '../thumbnail/clip-thumb';
import { ErrorDetails } from '../error-details';
import { CopyIdButton } from './copy-id';
import { REFUSED_STATES } from './refusal-notice';
import { PublishedLinkActions } from '../published/published-actions';

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

/** The words of a next-step button, or none when there is nothing to do. */
export function nextStepLabel(action: ErrorAction): MessageKey | undefined {
  switch (action) {
    case 'retry':
      return 'step.retry';
    case 'sign-in':
      return 'step.signIn';
    case 'free-space':
      return 'step.freeSpace';
    case 'open-settings':
      return 'step.openSettings';
    case 'force-duplicate':
      return 'step.keepDuplicate';
    case 'none':
      return undefined;
    default:
      return assertNever(action);
  }
}

/** Fraction sent: live figures when they are there, else the ledger's block count. */
function sentFraction(clip: ClipView, live: UploadProgressItem | undefined): number | undefined {
  if (live !== undefined && live.totalBytes > 0) return live.sentBytes / live.totalBytes;
  return clip.progress;
}

function StateBadge({ clip, live }: { clip: ClipView; live: UploadProgressItem | undefined }) {
  const badge = stateBadge(clip.state);
  const fraction = sentFraction(clip, live);
  const text =
    clip.state === 'uploading' && fraction !== undefined
      ? t('state.uploadingProgress', { percent: formatPercent(fraction, currentLocale()) })
      : t(badge.label);
  return (
    <span className={`badge badge--${badge.tone}`} data-testid="clip-state" data-state={clip.state}>
      {text}
    </span>
  );
}

/** Progress bar and time left; space is kept while uploading so nothing jumps between ticks. */
function UploadLine({ clip, live }: { clip: ClipView; live: UploadProgressItem | undefined }) {
  if (clip.state !== 'uploading' && clip.state !== 'paused') return null;
  const fraction = sentFraction(clip, live) ?? 0;
  const eta =
    clip.state === 'uploading' && live?.etaSeconds !== undefined
      ? t('upload.eta', { time: formatEta(live.etaSeconds, currentLocale()) })
      : clip.state === 'paused'
        ? t('upload.paused')
        : t('upload.estimating');
  return (
    <div className="upload-line">
      <progress
        className="clip-card__progress"
        max={1}
        value={Math.min(1, Math.max(0, fraction))}
        aria-label={t('card.uploadProgress')}
      />
      <span className="upload-line__eta num" data-testid="upload-eta">
        {eta}
      </span>
    </div>
  );
}

/** The plain sentence of what went wrong, and the one thing to do about it. */
function Problem({
  error,
  warnOnly,
  onStep,
}: {
  error: ErrorView;
  warnOnly: boolean;
  onStep?: (action: ErrorAction) => void;
}) {
  const label = nextStepLabel(error.action);
  return (
    <div
      className={warnOnly ? 'clip-card__error clip-card__error--warning' : 'clip-card__error'}
      data-testid="clip-error"
      data-code={error.code}
    >
      <p>{errorSentence(error)}</p>
      <ErrorDetails detail={error.detail} />
      {label !== undefined && onStep !== undefined ? (
        <button
          type="button"
          className="button button--small"
          data-testid="next-step"
          data-action={error.action}
          onClick={() => onStep(error.action)}
        >
          {t(label)}
        </button>
      ) : null}
    </div>
  );
}

/** The reservation id, shown when asked for (it is long, and rarely needed). */
function ReservationId({
  gameClipId,
  refused = false,
}: {
  gameClipId: string | undefined;
  /** A refused or missing clip will never get one: say nothing rather than "not yet". */
  refused?: boolean;
}) {
  const [shown, setShown] = useState(false);
  if (gameClipId === undefined)
    return refused ? null : <span className="muted small">{t('card.noGameClipId')}</span>;
  return shown ? (
    <span className="clip-id-line">
      <code className="clip-id" data-testid="game-clip-id" title={gameClipId}>
        {gameClipId}
      </code>
      <CopyIdButton id={gameClipId} />
    </span>
  ) : (
    <button
      type="button"
      className="link-button"
      data-testid="show-clip-id"
      onClick={() => setShown(true)}
    >
      {t('card.showGameClipId')}
    </button>
  );
}

/** A small icon per visibility: a lock, a person, a controller, a globe. */
const VISIBILITY_ICON: Readonly<Record<UserVisibility, string>> = {
  Owner: 'M5 7V5a3 3 0 0 1 6 0v2h1v7H4V7h1zm2 0h2V5a1 1 0 0 0-2 0v2z',
  Default: 'M8 1l6 2.5v4C14 11 11.5 14 8 15 4.5 14 2 11 2 7.5v-4L8 1z',
  Title:
    'M3 5h10a2 2 0 0 1 2 2v4a2 2 0 0 1-3.4 1.4L10 11H6l-1.6 1.4A2 2 0 0 1 1 11V7a2 2 0 0 1 2-2z',
  Public:
    'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm0 1.5c.8 0 1.8 1.8 2 4.5H6c.2-2.7 1.2-4.5 2-4.5zM2.6 7h2c0-1.6.4-3 .9-4A5.5 5.5 0 0 0 2.6 7zm8.8 0h2a5.5 5.5 0 0 0-2.9-4c.5 1 .9 2.4.9 4zM2.6 9a5.5 5.5 0 0 0 2.9 4c-.5-1-.9-2.4-.9-4h-2zM6 9c.2 2.7 1.2 4.5 2 4.5s1.8-1.8 2-4.5H6zm5.4 0c0 1.6-.4 3-.9 4a5.5 5.5 0 0 0 2.9-4h-2z',
};

/**
 * Who will see the clip, on every row (issue 15, item 3): an icon and a word, with Everyone
 * drawn as a warning so a public clip is noticed before it is sent.
 */
export function VisibilityTag({ visibility }: { visibility: UserVisibility }) {
  return (
    <span
      className={`visibility-tag visibility-tag--${visibility}`}
      data-testid="clip-visibility"
      data-visibility={visibility}
      title={t('visibility.legend')}
    >
      <svg
        className="visibility-tag__icon"
        viewBox="0 0 16 16"
        aria-hidden="true"
        focusable="false"
      >
        <path d={VISIBILITY_ICON[visibility]} fill="currentColor" />
      </svg>
      {t(`visibility.${visibility}`)}
    </span>
  );
}

/** What a refused or missing row offers: its file in the folder, and leaving the list. */
function RefusedActions({
  clip,
  onShowInFolder,
  onRemove,
}: {
  clip: ClipView;
  onShowInFolder?: () => void;
  onRemove?: () => void;
}) {
  return (
    <div className="clip-card__refused-actions">
      {onShowInFolder && clip.state !== 'missing' ? (
        <button
          type="button"
          className="link-button"
          data-testid="show-in-folder"
          aria-label={t('card.showInFolderNamed', { name: clip.fileName })}
          onClick={onShowInFolder}
        >
          {t('card.showInFolder')}
        </button>
      ) : null}
      {onRemove ? (
        <button
          type="button"
          className="link-button"
          data-testid="remove-from-list"
          aria-label={t('card.removeNamed', { name: clip.fileName })}
          onClick={onRemove}
        >
          {t('card.remove')}
        </button>
      ) : null}
    </div>
  );
}

export interface ClipCardViewProps {
  readonly clip: ClipView;
  readonly live?: UploadProgressItem;
  readonly selected?: boolean;
  readonly isOpen?: boolean;
  readonly error?: ErrorView;
  readonly onSelect?: (mode: 'toggle' | 'range') => void;
  readonly onOpen?: () => void;
  readonly onStep?: (action: ErrorAction) => void;
  /** Opens the published clip's link through main (by clip id, never by URL). */
  readonly onOpenLink?: () => void;
  /** A refused or missing row: show its file, or take it off the list (issue 15, item 1). */
  readonly onShowInFolder?: () => void;
  readonly onRemove?: () => void;
  readonly actions?: ReactNode;
  /** Whether to draw the frame (off in tests and benches without a media protocol). */
  readonly showThumb?: boolean;
}

/** The presentational row, from one `ClipView`. */
export function ClipCardView({
  clip,
  live,
  selected = false,
  isOpen = false,
  error,
  onSelect,
  onOpen,
  onStep,
  onOpenLink,
  onShowInFolder,
  onRemove,
  actions,
  showThumb = true,
}: ClipCardViewProps) {
  const refused = REFUSED_STATES.has(clip.state);
  const locale = currentLocale();
  const recorded =
    clip.recordedAt === undefined ? undefined : formatRecordedAt(clip.recordedAt, locale);
  const nameId = `clip-${clip.id}-name`;
  // A notice says why a clip took a detour (reserved again on another service): shown like an error.
  const shownError = error ?? clip.error ?? clip.notice;
  const select = (event: MouseEvent<HTMLInputElement>) =>
    onSelect?.(event.shiftKey ? 'range' : 'toggle');
  return (
    <article
      className={`clip-card clip-card--${sectionOf(clip.state)}${isOpen ? ' clip-card--open' : ''}${onSelect ? '' : ' clip-card--plain'}`}
      data-testid="clip-card"
      data-clip-id={clip.id}
      data-state={clip.state}
      aria-labelledby={nameId}
    >
      {onSelect ? (
        <input
          type="checkbox"
          className="clip-card__select"
          aria-label={t('batch.selectOne', { name: clip.fileName })}
          data-testid="clip-select"
          checked={selected}
          onChange={() => undefined}
          onClick={select}
        />
      ) : null}
      <ClipThumb clip={clip} show={showThumb} />
      <div className="clip-card__main">
        <h3 className="clip-card__name" id={nameId} title={clip.fileName}>
          {clip.fileName}
        </h3>
        <p className="clip-card__facts num">
          {clip.durationSeconds !== undefined ? (
            <span title={t('card.duration')}>{formatDuration(clip.durationSeconds)}</span>
          ) : null}
          <span title={t('card.size')}>{formatMegabytes(clip.sizeBytes, locale)}</span>
          {recorded !== undefined && clip.recordedAt !== undefined ? (
            <time dateTime={clip.recordedAt} title={t('card.recorded')}>
              {recorded}
            </time>
          ) : null}
          <VisibilityTag visibility={clip.visibility} />
          {clip.game !== undefined ? (
            <span className="clip-card__game" title={t('game.label')} data-testid="clip-game">
              {clip.game}
            </span>
          ) : null}
        </p>
        {clip.caption.length > 0 ? (
          <p className="clip-card__caption" data-testid="clip-caption">
            {clip.caption}
          </p>
        ) : null}
        {shownError !== undefined ? (
          <Problem
            error={shownError}
            warnOnly={clip.state === 'waiting-retry'}
            {...(onStep ? { onStep } : {})}
          />
        ) : null}
      </div>
      <div className="clip-card__status">
        <StateBadge clip={clip} live={live} />
        <UploadLine clip={clip} live={live} />
        <ReservationId gameClipId={clip.gameClipId} refused={refused} />
        {refused ? (
          <RefusedActions
            clip={clip}
            {...(onShowInFolder ? { onShowInFolder } : {})}
            {...(onRemove ? { onRemove } : {})}
          />
        ) : null}
        {clip.state === 'published' && clip.downloadUri !== undefined ? (
          <a
            className="link-button"
            href={clip.downloadUri}
            target="_blank"
            rel="noreferrer"
            title={clip.downloadUri}
            data-testid="clip-link"
            onClick={(event) => {
              // Main opens the service's own link for this clip, named by id (issue 14, item 6).
              event.preventDefault();
              onOpenLink?.();
            }}
          >
            {t('card.openLink')}
          </a>
        ) : null}
      </div>
      <div className="clip-card__actions">
        {actions}
        {onOpen ? (
          <button
            type="button"
            className="button"
            data-testid="open-editor"
            aria-expanded={isOpen}
            aria-label={t('card.editNamed', { name: clip.fileName })}
            onClick={onOpen}
          >
            {t('card.edit')}
          </button>
        ) : null}
      </div>
    </article>
  );
}

/** The main action a row offers: the first of these its commands hold (main's table). */
const PRIMARY_ACTIONS: readonly {
  readonly command: 'send' | 'pause' | 'resume' | 'restore';
  readonly primary: boolean;
}[] = [
  { command: 'send', primary: true },
  { command: 'pause', primary: false },
  { command: 'resume', primary: false },
  { command: 'restore', primary: false },
];

export function PrimaryAction({ clip }: { clip: ClipView }) {
  const actions = useClipsActions();
  const action = PRIMARY_ACTIONS.find((candidate) => clip.commands.includes(candidate.command));
  if (clip.commands.includes('locate'))
    return (
      <button
        type="button"
        className="button"
        data-testid="locate"
        aria-label={t('action.locateNamed', { name: clip.fileName })}
        onClick={() => void actions.located(clip.id)}
      >
        {t('action.locate')}
      </button>
    );
  if (!action) return null;
  const { command, primary } = action;
  return (
    <button
      type="button"
      className={primary ? 'button button--primary' : 'button'}
      data-testid={command}
      aria-label={t(`action.${command}Named`, { name: clip.fileName })}
      onClick={() => void actions.commandRequested(command, [clip.id])}
    >
      {t(`action.${command}`)}
    </button>
  );
}

/**
 * A row subscribed to its own clip, its own live figures and its own selection, so a progress
 * tick on one clip re-renders that row alone.
 */
export function ClipCard({
  clipId,
  order,
  showThumb = true,
  selectable = true,
}: {
  clipId: string;
  order: readonly string[];
  showThumb?: boolean;
  /** Whether the row takes part in batch selection (the pending list, not the history). */
  selectable?: boolean;
}) {
  const clip = useClips((state) => selectClip(state, clipId));
  const error = useClips((state) => selectCommandError(state, clipId));
  const live = useUi((state) => state.progress[clipId]);
  const selected = useUi((state) => state.selected[clipId] === true);
  const isOpen = useUi((state) => state.openClipId === clipId);
  const ui = useUiActions();
  const actions = useClipsActions();
  if (clip === undefined) return null;
  const onStep = (action: ErrorAction) => {
    switch (action) {
      case 'retry':
      case 'free-space':
        void actions.commandRequested('retry', [clipId]);
        return;
      case 'sign-in':
      case 'open-settings':
        ui.screenChosen('settings');
        return;
      case 'force-duplicate':
        void actions.duplicateKept(clipId);
        return;
      case 'none':
        return;
      default:
        assertNever(action);
    }
  };
  // Opens for editing where main allows an edit, and read-only where a restore or locate waits.
  const editable =
    clip.commands.includes('edit') ||
    clip.commands.includes('restore') ||
    clip.commands.includes('locate');
  return (
    <ClipCardView
      clip={clip}
      live={live}
      selected={selected}
      isOpen={isOpen}
      {...(error ? { error } : {})}
      {...(selectable
        ? { onSelect: (mode: 'toggle' | 'range') => ui.selectionClicked(clipId, mode, order) }
        : {})}
      {...(editable ? { onOpen: () => ui.clipOpened(isOpen ? undefined : clipId) } : {})}
      onStep={onStep}
      onOpenLink={() => void actions.linkOpened(clipId)}
      onShowInFolder={() => void actions.fileShown(clipId)}
      onRemove={() => void actions.clipRemoved(clipId)}
      actions={
        <>
          <PrimaryAction clip={clip} />
          <PublishedLinkActions clip={clip} />
        </>
      }
      showThumb={showThumb}
    />
  );
}

export const ClipCardRow = memo(ClipCard);
