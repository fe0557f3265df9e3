/**
 * The caption field of a clip card: a labelled text area with what is left of the 250-unit
 * budget and whether main has the text yet.
 */
import { useId, useState, type ChangeEvent, type CompositionEvent } from 'react';
import type { DraftSave } from '../../stores/clips-reducers';
import { selectCaption, selectSave } from '../../stores/clips-selectors';
import { useClips, useClipsActions } from '../../stores/stores-context';
import { errorSentence, t } from '../../../app/i18n/translate';
import { MAX_CAPTION_UTF16 } from '../../../app/gameclips/limits';
import { ErrorDetails } from '../error-details';
import { acceptCaptionInput, captionRemaining, isCaptionNearLimit } from './caption-counter';

/** Props of the presentational field; the connected `CaptionEditor` fills them from the store. */
export interface CaptionFieldProps {
  readonly clipId: string;
  readonly caption: string;
  readonly save: DraftSave | undefined;
  readonly onEdit: (text: string) => void;
  readonly onLeave: () => void;
}

function SaveStatus({ save, onRetry }: { save: DraftSave | undefined; onRetry: () => void }) {
  if (save === undefined) return <span className="save-status" />;
  switch (save.phase) {
    case 'editing':
    case 'saving':
      return <span className="save-status save-status--busy">{t('caption.saving')}</span>;
    case 'saved':
      return <span className="save-status save-status--done">{t('caption.saved')}</span>;
    case 'failed':
      return (
        <button type="button" className="link-button" onClick={onRetry}>
          {t('caption.retry')}
        </button>
      );
  }
}

/**
 * The caption text area. While an IME composes (Chinese, Japanese, Korean input) the raw text is
 * held locally: cutting it mid-composition would break the candidate window.
 */
export function CaptionField({
  clipId,
  caption,
  save,
  onEdit,
  onLeave,
  readOnly = false,
}: CaptionFieldProps & { readonly readOnly?: boolean }) {
  const [composing, setComposing] = useState<string | null>(null);
  // A paste or typing past the limit keeps the first 250 and says so (issue 15, item 8).
  const [cut, setCut] = useState(false);
  const fieldId = useId();
  const counterId = `${fieldId}-counter`;
  const hintId = `${fieldId}-count-hint`;
  const errorId = `${fieldId}-error`;
  const shown = composing ?? caption;
  const remaining = captionRemaining(acceptCaptionInput(shown));
  const failed = save?.phase === 'failed' ? save.error : undefined;

  function handleChange(event: ChangeEvent<HTMLTextAreaElement>) {
    const native = event.nativeEvent as InputEvent;
    if (native.isComposing) setComposing(event.target.value);
    else {
      setComposing(null);
      const text = event.target.value;
      const kept = acceptCaptionInput(text);
      if (kept !== text) setCut(true);
      else if (cut && kept.length < MAX_CAPTION_UTF16) setCut(false);
      onEdit(kept);
    }
  }
  function handleCompositionEnd(event: CompositionEvent<HTMLTextAreaElement>) {
    setComposing(null);
    const text = event.currentTarget.value;
    if (acceptCaptionInput(text) !== text) setCut(true);
    onEdit(event.currentTarget.value);
  }

  return (
    <div className="caption">
      <label className="caption__label" htmlFor={fieldId}>
        {t('caption.label')}
      </label>
      <textarea
        id={fieldId}
        className="caption__input"
        aria-label={t('caption.label')}
        aria-describedby={failed ? `${counterId} ${hintId} ${errorId}` : `${counterId} ${hintId}`}
        aria-invalid={failed ? true : undefined}
        data-testid="caption-input"
        data-clip-id={clipId}
        rows={2}
        spellCheck
        placeholder={t('caption.placeholder')}
        value={shown}
        readOnly={readOnly}
        onChange={handleChange}
        onCompositionStart={(event) => setComposing(event.currentTarget.value)}
        onCompositionEnd={handleCompositionEnd}
        onBlur={onLeave}
      />
      <div className="caption__meta">
        <SaveStatus save={save} onRetry={onLeave} />
        <span
          id={counterId}
          className={
            isCaptionNearLimit(shown)
              ? 'caption__counter caption__counter--low'
              : 'caption__counter'
          }
          data-testid="caption-remaining"
          title={t('caption.countHint')}
        >
          {t('caption.remaining', { count: remaining })}
        </span>
        <span id={hintId} className="visually-hidden">
          {t('caption.countHint')}
        </span>
      </div>
      {cut ? (
        <p className="caption__cut" role="status" data-testid="caption-cut">
          {t('caption.cut')}
        </p>
      ) : null}
      {failed ? (
        <p id={errorId} className="caption__error" role="alert">
          {t('caption.failed', { message: errorSentence(failed) })}
          <ErrorDetails detail={failed.detail} />
        </p>
      ) : null}
    </div>
  );
}

/** The caption field of one clip, subscribed to that clip's caption and save status only. */
export function CaptionEditor({
  clipId,
  readOnly = false,
}: {
  clipId: string;
  /** The clip's commands hold no `edit` (cancelled, refused): shown, not editable. */
  readOnly?: boolean;
}) {
  const caption = useClips((state) => selectCaption(state, clipId));
  const save = useClips((state) => selectSave(state, clipId));
  const actions = useClipsActions();
  return (
    <CaptionField
      clipId={clipId}
      caption={caption}
      save={save}
      readOnly={readOnly}
      onEdit={(text) => actions.captionEdited(clipId, text)}
      onLeave={() => void actions.captionLeft(clipId)}
    />
  );
}
