/**
 * Batch actions over the pending list: select all, apply a caption template or a visibility to
 * the selected clips, and send them (or all ready clips when none is selected).
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { CAPTION_TOKENS } from '../../../app/clip/caption-template';
import type { ErrorView } from '../../../app/errors';
import { USER_VISIBILITIES, type UserVisibility } from '../../../app/gameclips/enums';
import type { MessageKey } from '../../../app/i18n/en';
import { errorSentence, t } from '../../../app/i18n/translate';
import { useClips, useClipsActions, useUi, useUiActions } from '../../stores/stores-context';

const VISIBILITY_LABEL: Readonly<Record<UserVisibility, MessageKey>> = {
  Default: 'visibility.Default',
  Owner: 'visibility.Owner',
  Title: 'visibility.Title',
  Public: 'visibility.Public',
};

export function BatchBar({
  ids,
  complete = true,
}: {
  ids: readonly string[];
  /** False while only a new window's first rows are in: "all" would be only those, so wait. */
  complete?: boolean;
}) {
  const selected = useUi((state) => state.selected);
  const ui = useUiActions();
  const actions = useClipsActions();
  const byId = useClips((state) => state.byId);
  // Walked once per change of the list or its clips, not on every store update.
  const ready = useMemo(
    () => ids.filter((id) => byId[id]?.commands.includes('send') === true),
    [ids, byId],
  );
  const chosen = ids.filter((id) => selected[id]);
  const [template, setTemplate] = useState('');
  const [visibility, setVisibility] = useState<UserVisibility>('Owner');
  const [error, setError] = useState<ErrorView | undefined>();
  const allRef = useRef<HTMLInputElement>(null);
  const templateId = useId();
  const visibilityId = useId();
  const all = chosen.length > 0 && chosen.length === ids.length;
  const some = chosen.length > 0 && !all;
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = some;
  }, [some]);

  async function apply(edit: { captionTemplate: string } | { visibility: UserVisibility }) {
    setError(await actions.batchApplied(chosen, edit));
  }
  const sendTargets =
    chosen.length > 0 ? chosen.filter((id) => byId[id]?.commands.includes('send') === true) : ready;

  return (
    <div
      className="batch"
      role="toolbar"
      aria-label={t('batch.toolbar')}
      data-testid="batch-bar"
      inert={!complete}
      aria-busy={!complete}
    >
      <label className="batch__all">
        <input
          ref={allRef}
          type="checkbox"
          data-testid="select-all"
          checked={all}
          onChange={() => (all ? ui.selectionCleared() : ui.allSelected(ids))}
        />
        <span>
          {chosen.length > 0 ? t('batch.selected', { count: chosen.length }) : t('batch.selectAll')}
        </span>
      </label>
      {chosen.length > 0 ? (
        <>
          <div className="batch__field">
            <label htmlFor={templateId} className="field-label">
              {t('batch.template')}
            </label>
            <input
              id={templateId}
              className="text-input"
              data-testid="batch-template"
              value={template}
              maxLength={1000}
              placeholder={CAPTION_TOKENS.map((token) => `{${token}}`).join(' ')}
              aria-describedby={`${templateId}-hint`}
              onChange={(event) => setTemplate(event.target.value)}
            />
            <span id={`${templateId}-hint`} className="muted small">
              {t('batch.templateHint')}
            </span>
          </div>
          <button
            type="button"
            className="button"
            data-testid="batch-apply-caption"
            onClick={() => void apply({ captionTemplate: template })}
          >
            {t('batch.applyCaption')}
          </button>
          <div className="batch__field">
            <label htmlFor={visibilityId} className="field-label">
              {t('visibility.legend')}
            </label>
            <select
              id={visibilityId}
              className="select"
              data-testid="batch-visibility"
              value={visibility}
              onChange={(event) => setVisibility(event.target.value as UserVisibility)}
            >
              {USER_VISIBILITIES.map((value) => (
                <option key={value} value={value}>
                  {t(VISIBILITY_LABEL[value])}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            className="button"
            data-testid="batch-apply-visibility"
            onClick={() => void apply({ visibility })}
          >
            {t('batch.applyVisibility')}
          </button>
        </>
      ) : null}
      <button
        type="button"
        className="button button--primary batch__send"
        data-testid="send-all"
        disabled={sendTargets.length === 0}
        onClick={() => void actions.commandRequested('send', sendTargets)}
      >
        {chosen.length > 0
          ? t('batch.sendSelected', { count: sendTargets.length })
          : complete
            ? t('batch.sendAll', { count: sendTargets.length })
            : t('batch.sendAllCounting')}
      </button>
      {error ? (
        <p className="batch__error" role="alert">
          {errorSentence(error)}
        </p>
      ) : null}
    </div>
  );
}
