/**
 * Drag-and-drop anywhere on the window: files and folders go through the preload (which resolves
 * their paths; the window never holds one) into the same gate as the watched folders, and each
 * file gets its answer: accepted, a duplicate of a clip already listed (keep it anyway), or
 * refused with its reason.
 */
import { useEffect, type ReactNode } from 'react';
import type { RegisterOutcome } from '../../../app/ipc/contract';
import { errorSentence, t } from '../../../app/i18n/translate';
import { ErrorDetails } from '../error-details';
import { useClipsActions, useUi, useUiActions } from '../../stores/stores-context';

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/** Listens on the whole window; shows an overlay while files are over it. */
export function DropZone({ children }: { children: ReactNode }) {
  const dragging = useUi((state) => state.dragging);
  const ui = useUiActions();
  useEffect(() => {
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth += 1;
      ui.draggingChanged(true);
    };
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      // Without this the drop would navigate to the file, which main refuses anyway.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) ui.draggingChanged(false);
    };
    const drop = (event: DragEvent) => {
      event.preventDefault();
      depth = 0;
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length === 0) {
        ui.draggingChanged(false);
        return;
      }
      void ui.filesDropped(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [ui]);
  return (
    <>
      {children}
      {dragging ? (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          <div className="drop-overlay__box">
            <p className="drop-overlay__title">{t('drop.title')}</p>
            <p className="muted">{t('drop.body')}</p>
          </div>
        </div>
      ) : null}
    </>
  );
}

function OutcomeLine({ outcome }: { outcome: RegisterOutcome }) {
  const actions = useClipsActions();
  switch (outcome.outcome) {
    case 'accepted':
      return <span>{t('drop.accepted')}</span>;
    case 'duplicate':
      return (
        <span>
          {t('drop.duplicate', { name: outcome.duplicateOf?.fileName ?? '' })}{' '}
          {outcome.clipId !== undefined ? (
            <button
              type="button"
              className="link-button"
              data-testid="keep-duplicate"
              onClick={() => void actions.duplicateKept(outcome.clipId as string)}
            >
              {t('step.keepDuplicate')}
            </button>
          ) : null}
        </span>
      );
    case 'rejected':
    case 'ignored':
      return (
        <span>
          {outcome.error
            ? errorSentence(outcome.error)
            : t(outcome.outcome === 'ignored' ? 'drop.ignored' : 'drop.rejected')}
          <ErrorDetails detail={outcome.error?.detail} />
        </span>
      );
  }
}

/** What became of the last drops, one line per file. */
export function DropFeedbackList() {
  const drops = useUi((state) => state.drops);
  const ui = useUiActions();
  if (drops.length === 0) return null;
  return (
    <section
      className="drops"
      aria-label={t('drop.results')}
      data-testid="drop-results"
      tabIndex={-1}
    >
      {drops.map((drop) => (
        <div className="drops__batch" key={drop.id} role="status">
          {drop.error ? (
            <p className="drops__error">
              {t('drop.failed', { message: errorSentence(drop.error) })}
            </p>
          ) : null}
          <ul className="drops__list">
            {drop.outcomes.map((outcome, index) => (
              <li
                key={`${outcome.fileName}-${index}`}
                className={`drops__item drops__item--${outcome.outcome}`}
                data-testid="drop-outcome"
                data-outcome={outcome.outcome}
              >
                <span className="drops__name">{outcome.fileName}</span>
                <OutcomeLine outcome={outcome} />
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button button--quiet button--small"
            onClick={() => ui.dropDismissed(drop.id)}
          >
            {t('drop.dismiss')}
          </button>
        </div>
      ))}
    </section>
  );
}
