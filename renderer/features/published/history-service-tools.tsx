/**
 * The History screen's tools for the service (issue 16): open the built-in service's gallery of
 * published clips in the browser (item 4), and remove every clip shown (after the search and
 * filters) from the service at once, after a confirmation; files stay (item 6).
 */
import { useState } from 'react';
import { errorSentence, t } from '../../../app/i18n/translate';
import { useApp, useClips } from '../../stores/stores-context';
import { isOnline, removeFromService } from './published-actions';
import { CurrentReachNote } from './network-share';

export function HistoryServiceTools({ ids }: { readonly ids: readonly string[] }) {
  const byId = useClips((state) => state.byId);
  const builtIn = useApp((state) => state.status?.service.kind === 'sandbox');
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const online = ids.filter((id) => {
    const clip = byId[id];
    return clip !== undefined && isOnline(clip);
  });
  const openGallery = (
    globalThis as {
      companion?: {
        service?: {
          openGallery?: () => Promise<
            { ok: true } | { ok: false; error: { code: string; message: string } }
          >;
        };
      };
    }
  ).companion?.service?.openGallery;
  return (
    <>
      {builtIn && openGallery ? (
        <button
          type="button"
          className="button button--quiet"
          data-testid="open-gallery"
          title={t('published.galleryHint')}
          onClick={() =>
            void openGallery().then((result) => {
              if (!result.ok)
                setMessage(t('published.galleryFailed', { message: errorSentence(result.error) }));
            })
          }
        >
          {t('published.gallery')}
        </button>
      ) : null}
      <CurrentReachNote />
      {confirming ? (
        <>
          <span>{t('published.removeConfirmMany', { count: online.length })}</span>
          <button
            type="button"
            className="button button--danger"
            data-testid="confirm-remove-many-from-service"
            onClick={() => {
              setConfirming(false);
              void removeFromService(online).then(setMessage);
            }}
          >
            {t('published.remove')}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            {t('history.keep')}
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button"
          data-testid="remove-many-from-service"
          disabled={online.length === 0}
          onClick={() => setConfirming(true)}
        >
          {t('published.removeAll')}
        </button>
      )}
      {message ? (
        <span className="small muted" role="status" data-testid="removed-from-service">
          {message}
        </span>
      ) : null}
    </>
  );
}
