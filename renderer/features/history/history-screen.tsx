/**
 * History: published clips with their frame and GameClips id (caption and visibility still
 * editable through the update call), and the failed, cancelled and refused ones with their
 * reason. "Clear history" removes them from the list, never from disk, after a confirmation.
 */
import { useState } from 'react';
import { errorSentence, t } from '../../../app/i18n/translate';
import { isListComplete } from '../../stores/clips-reducers';
import { selectTabCount, selectTabs } from '../../stores/clips-selectors';
import { useClips, useClipsActions } from '../../stores/stores-context';
import { ClipFilterBar, NothingFound, useFoundIds } from '../find/clip-filter-bar';
import { OpenClipEditor } from '../pending/clip-editor';
import { PendingList } from '../pending/pending-list';
import { HistoryServiceTools } from '../published/history-service-tools';

export function HistoryScreen() {
  const { history } = useClips(selectTabs);
  const found = useFoundIds('history', history);
  const count = useClips((state) => selectTabCount(state, 'history'));
  // A new window's first rows: the list is drawn, and what needs every clip waits for it.
  const complete = useClips((state) => isListComplete(state.list));
  const actions = useClipsActions();
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | undefined>();

  async function clear() {
    setConfirming(false);
    const result = await actions.historyCleared();
    setMessage(
      typeof result === 'number'
        ? t('history.cleared', { count: result })
        : t('history.clearFailed', { message: errorSentence(result) }),
    );
  }

  return (
    <div className="screen screen--split">
      <section
        className="screen__list"
        aria-labelledby="history-title"
        data-testid="history-section"
      >
        <div className="section__head">
          <h2 id="history-title">
            {t('history.title')} <span className="count num">{count}</span>
          </h2>
          <div className="section__tools" inert={!complete} aria-busy={!complete}>
            <HistoryServiceTools ids={found} />
            {confirming ? (
              <>
                <span>{t('history.confirm', { count: history.length })}</span>
                <button
                  type="button"
                  className="button button--danger"
                  data-testid="confirm-clear-history"
                  onClick={() => void clear()}
                >
                  {t('history.clear')}
                </button>
                <button type="button" className="button" onClick={() => setConfirming(false)}>
                  {t('history.keep')}
                </button>
              </>
            ) : (
              <button
                type="button"
                className="button"
                data-testid="clear-history"
                disabled={history.length === 0}
                onClick={() => setConfirming(true)}
              >
                {t('history.clear')}
              </button>
            )}
          </div>
        </div>
        {message ? (
          <p className="muted" role="status">
            {message}
          </p>
        ) : null}
        {!complete && found.length === 0 ? (
          <p className="muted">{t('list.loading')}</p>
        ) : history.length === 0 ? (
          <div className="empty" data-testid="history-empty">
            <h3>{t('history.emptyTitle')}</h3>
            <p>{t('history.emptyBody')}</p>
          </div>
        ) : (
          <>
            <ClipFilterBar list="history" ids={history} shown={found.length} complete={complete} />
            {found.length === 0 ? (
              <NothingFound list="history" />
            ) : (
              <PendingList
                ids={found}
                label={t('history.title')}
                selectable={false}
                list="history"
              />
            )}
          </>
        )}
      </section>
      <OpenClipEditor />
    </div>
  );
}
