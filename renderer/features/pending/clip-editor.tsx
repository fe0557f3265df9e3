/**
 * The editor of one clip: caption (saved as typed), visibility, thumbnail frame, and Send, pause,
 * resume, cancel. Published clips keep caption and visibility editable (the update call).
 */
import type { ClipView } from '../../../app/clip/views';
import { t } from '../../i18n/translate';
import { selectClip, selectVisibility } from '../../stores/clips-selectors';
import { useClips, useClipsActions, useUi, useUiActions } from '../../stores/stores-context';
import { PublishedPlayer } from '../published/published-actions';
import { ThumbnailPicker } from '../thumbnail/thumbnail-picker';
import { CaptionEditor } from './caption-editor';
import { stateBadge } from './clip-card';
import { GameField } from './game-field';
import { VisibilityChoice } from './visibility-choice';

function EditorActions({ clip }: { clip: ClipView }) {
  const actions = useClipsActions();
  const run = (command: 'send' | 'pause' | 'resume' | 'cancel' | 'retry') =>
    void actions.commandRequested(command, [clip.id]);
  const canCancel = ['reserved', 'uploading', 'paused', 'blocked', 'waiting-retry'].includes(
    clip.state,
  );
  return (
    <div className="editor__actions">
      {clip.state === 'reserved' ? (
        <button
          type="button"
          className="button button--primary"
          data-testid="editor-send"
          onClick={() => run('send')}
        >
          {t('action.send')}
        </button>
      ) : null}
      {clip.state === 'uploading' ? (
        <button
          type="button"
          className="button"
          data-testid="editor-pause"
          onClick={() => run('pause')}
        >
          {t('action.pause')}
        </button>
      ) : null}
      {clip.state === 'paused' ? (
        <button
          type="button"
          className="button"
          data-testid="editor-resume"
          onClick={() => run('resume')}
        >
          {t('action.resume')}
        </button>
      ) : null}
      {clip.state === 'failed' || clip.state === 'blocked' ? (
        <button
          type="button"
          className="button"
          data-testid="editor-retry"
          onClick={() => run('retry')}
        >
          {t('step.retry')}
        </button>
      ) : null}
      {canCancel ? (
        <button
          type="button"
          className="button button--quiet"
          data-testid="editor-cancel"
          onClick={() => run('cancel')}
        >
          {t('action.cancel')}
        </button>
      ) : null}
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
  const frameEditable = !published && clip.state !== 'processing';
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
          <code className="clip-id" data-testid="game-clip-id">
            {clip.gameClipId}
          </code>
        ) : (
          <span className="muted">{t('card.noGameClipId')}</span>
        )}
      </p>
      {published ? <p className="muted small">{t('editor.publishedHint')}</p> : null}
      {published ? <PublishedPlayer clip={clip} /> : null}
      <CaptionEditor clipId={clipId} />
      <GameField clipId={clipId} />
      <VisibilityChoice
        value={visibility}
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
