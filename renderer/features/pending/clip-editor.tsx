/**
 * The editor of one clip: caption (saved as typed), visibility, thumbnail frame, and Send, pause,
 * resume, cancel. Published clips keep caption and visibility editable (the update call).
 */
import type { ClipView } from '../../../app/clip/views';
import type { MessageKey } from '../../../app/i18n/en';
import { t } from '../../../app/i18n/translate';
import { selectClip, selectVisibility } from '../../stores/clips-selectors';
import { useClips, useClipsActions, useUi, useUiActions } from '../../stores/stores-context';
import { PublishedPlayer } from '../published/published-actions';
import { ThumbnailPicker } from '../thumbnail/thumbnail-picker';
import { CaptionEditor } from './caption-editor';
import { stateBadge } from './clip-card';
import { GameField } from './game-field';
import { VisibilityChoice } from './visibility-choice';
import { CopyIdButton } from './copy-id';

/** The editor's buttons, in the table's order: drawn from the commands main sent with the view. */
const EDITOR_BUTTONS: readonly {
  readonly command:
    'send' | 'pause' | 'resume' | 'retry' | 'restore' | 'cancel' | 'remove-from-list';
  readonly label: MessageKey;
  readonly className: string;
  readonly testId: string;
}[] = [
  {
    command: 'send',
    label: 'action.send',
    className: 'button button--primary',
    testId: 'editor-send',
  },
  { command: 'pause', label: 'action.pause', className: 'button', testId: 'editor-pause' },
  { command: 'resume', label: 'action.resume', className: 'button', testId: 'editor-resume' },
  { command: 'retry', label: 'step.retry', className: 'button', testId: 'editor-retry' },
  {
    command: 'restore',
    label: 'action.restore',
    className: 'button button--primary',
    testId: 'editor-restore',
  },
  {
    command: 'cancel',
    label: 'action.cancel',
    className: 'button button--quiet',
    testId: 'editor-cancel',
  },
  {
    command: 'remove-from-list',
    label: 'action.remove',
    className: 'button button--quiet',
    testId: 'editor-remove',
  },
];

function EditorActions({ clip }: { clip: ClipView }) {
  const actions = useClipsActions();
  const offered = new Set(clip.commands);
  return (
    <div className="editor__actions">
      {offered.has('locate') ? (
        <button
          type="button"
          className="button button--primary"
          data-testid="editor-locate"
          onClick={() => void actions.located(clip.id)}
        >
          {t('action.locate')}
        </button>
      ) : null}
      {EDITOR_BUTTONS.filter((button) => offered.has(button.command)).map((button) => (
        <button
          key={button.command}
          type="button"
          className={button.className}
          data-testid={button.testId}
          onClick={() =>
            void actions.commandRequested(
              button.command === 'remove-from-list' ? 'remove' : button.command,
              [clip.id],
            )
          }
        >
          {t(button.label)}
        </button>
      ))}
    </div>
  );
}

export function ClipEditor({ clipId }: { clipId: string }) {
  const clip = useClips((state) => selectClip(state, clipId));
  const visibility = useClips((state) => selectVisibility(state, clipId));
  const actions = useClipsActions();
  const ui = useUiActions();
  const headingId = `editor-${clipId}-title`;
  if (clip === undefined) return null;
  const published = clip.state === 'published';
  const editable = clip.commands.includes('edit');
  const frameEditable = editable && !published && clip.state !== 'processing';
  return (
    <section
      className="editor"
      aria-labelledby={headingId}
      data-testid="clip-editor"
      data-clip-id={clipId}
    >
      <header className="editor__head">
        <div className="editor__title">
          <h2 id={headingId} title={clip.fileName}>
            {clip.fileName}
          </h2>
          <span className={`badge badge--${stateBadge(clip.state).tone}`}>
            {t(stateBadge(clip.state).label)}
          </span>
        </div>
        <button
          type="button"
          className="button button--quiet"
          data-testid="close-editor"
          onClick={() => ui.clipOpened(undefined)}
        >
          {t('editor.close')}
        </button>
      </header>
      <p className="editor__id small">
        <span className="muted">{t('card.gameClipId')}: </span>
        {clip.gameClipId !== undefined ? (
          <>
            <code className="clip-id" data-testid="game-clip-id" title={clip.gameClipId}>
              {clip.gameClipId}
            </code>{' '}
            <CopyIdButton id={clip.gameClipId} />
          </>
        ) : (
          <span className="muted">{t('card.noGameClipId')}</span>
        )}
      </p>
      {published ? <p className="muted small">{t('editor.publishedHint')}</p> : null}
      {clip.state === 'cancelled' ? (
        <p className="muted small" data-testid="editor-read-only">
          {t('editor.cancelledHint')}
        </p>
      ) : null}
      {clip.state === 'missing' ? <p className="muted small">{t('editor.missingHint')}</p> : null}
      {published ? <PublishedPlayer clip={clip} /> : null}
      <CaptionEditor clipId={clipId} readOnly={!editable} />
      <GameField clipId={clipId} disabled={!editable} />
      <VisibilityChoice
        value={visibility}
        disabled={!editable}
        onChoose={(choice) => void actions.fieldChosen(clipId, { visibility: choice })}
      />
      {frameEditable ? (
        <ThumbnailPicker key={clipId} clipId={clipId} durationSeconds={clip.durationSeconds} />
      ) : null}
      <EditorActions clip={clip} />
    </section>
  );
}

/** The editor of the clip opened from the list, if any. */
export function OpenClipEditor() {
  const openClipId = useUi((state) => state.openClipId);
  const exists = useClips(
    (state) => openClipId !== undefined && state.byId[openClipId] !== undefined,
  );
  if (openClipId === undefined || !exists) return null;
  return <ClipEditor clipId={openClipId} />;
}
