/**
 * What a published clip offers in the window (issue 16, items 1 and 2): play it here, copy a link
 * that works, open it in the browser. Main picks the link (the built-in service's share page, or
 * a download link fetched again when it has expired), so the window never holds a dead one.
 */
import { useState } from 'react';
import type { ClipView } from '../../../app/clip/views';
import type { SharedLink } from '../../../app/ipc/contract';
import { errorSentence, t } from '../../../app/i18n/translate';
import { useClipsActions } from '../../stores/stores-context';
import { clipMediaUrl } from '../thumbnail/frames';
import { ReachSentence } from './network-share';

type CopyLink = (
  clipId: string,
) => Promise<
  | { readonly ok: true; readonly value: SharedLink }
  | { readonly ok: false; readonly error: { code: string; message: string } }
>;

type RemoveFromService = (
  ids: string[],
) => Promise<
  | { readonly ok: true; readonly value: readonly ClipView[] }
  | { readonly ok: false; readonly error: { code: string; message: string } }
>;

type SharePageVerb = (
  clipId: string,
  action: 'create' | 'revoke',
) => Promise<
  | { readonly ok: true; readonly value: SharedLink | null }
  | { readonly ok: false; readonly error: { code: string; message: string } }
>;

type PlaybackProblem = (
  clipId: string,
) => Promise<
  | { readonly ok: true; readonly value: string | null }
  | { readonly ok: false; readonly error: { code: string; message: string } }
>;

interface PublishedVerbs {
  readonly playbackProblem?: PlaybackProblem;
  readonly copyLink?: CopyLink;
  readonly sharePage?: SharePageVerb;
  readonly removeFromService?: RemoveFromService;
}

function verbs(): PublishedVerbs {
  return (globalThis as { companion?: { clips?: PublishedVerbs } }).companion?.clips ?? {};
}

function copyLinkVerb(): CopyLink | undefined {
  return verbs().copyLink;
}

/** Whether a clip is online on the service (published and not removed by the user). */
export function isOnline(clip: ClipView): boolean {
  return clip.state === 'published' && clip.removedFromServiceAt === undefined;
}

/**
 * Removes clips from the service (never their files); answers a sentence for the window saying
 * how many went, and why the rest did not.
 */
export async function removeFromService(ids: readonly string[]): Promise<string> {
  const remove = verbs().removeFromService;
  if (!remove || ids.length === 0) return t('published.removeUnavailable');
  const result = await remove([...ids]);
  if (!result.ok) return t('published.removeFailed', { message: errorSentence(result.error) });
  const removed = result.value.filter((view) => view.removedFromServiceAt !== undefined).length;
  return removed === ids.length
    ? t('published.removed', { count: removed })
    : t('published.removedSome', { count: removed, total: ids.length });
}

/** "Remove from the service" for one clip, with a confirmation; or "No longer online". */
function RemoveFromServiceButton({ clip }: { readonly clip: ClipView }) {
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  if (!verbs().removeFromService) return null;
  if (confirming)
    return (
      <span className="published-actions__confirm">
        <span className="small">{t('published.removeConfirmOne')}</span>
        <button
          type="button"
          className="button button--danger"
          data-testid="confirm-remove-from-service"
          onClick={() => {
            setConfirming(false);
            void removeFromService([clip.id]).then(setMessage);
          }}
        >
          {t('published.remove')}
        </button>
        <button type="button" className="button" onClick={() => setConfirming(false)}>
          {t('history.keep')}
        </button>
      </span>
    );
  return (
    <>
      <button
        type="button"
        className="button button--quiet"
        data-testid="remove-from-service"
        onClick={() => setConfirming(true)}
      >
        {t('published.removeFromService')}
      </button>
      {message ? (
        <span className="small muted" role="status">
          {message}
        </span>
      ) : null}
    </>
  );
}

/** "Copy link" and "Open in browser" for a published clip; nothing for other states. */
export function PublishedLinkActions({ clip }: { readonly clip: ClipView }) {
  const actions = useClipsActions();
  const [copied, setCopied] = useState<SharedLink | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  if (clip.state !== 'published') return null;
  if (clip.removedFromServiceAt !== undefined)
    return (
      <span className="badge" data-testid="not-online" title={clip.removedFromServiceAt}>
        {t('published.notOnline')}
      </span>
    );
  const copyLink = copyLinkVerb();
  async function copy() {
    if (!copyLink) return;
    setProblem(undefined);
    const result = await copyLink(clip.id);
    if (result.ok) setCopied(result.value);
    else {
      setCopied(undefined);
      setProblem(t('published.copyFailed', { message: errorSentence(result.error) }));
    }
  }
  return (
    <span className="published-actions">
      {copyLink ? (
        <button
          type="button"
          className="button button--quiet"
          data-testid="copy-link"
          onClick={() => void copy()}
        >
          {t('published.copyLink')}
        </button>
      ) : null}
      <button
        type="button"
        className="button button--quiet"
        data-testid="open-in-browser"
        onClick={() => void actions.linkOpened(clip.id)}
      >
        {t('published.openInBrowser')}
      </button>
      <RemoveFromServiceButton clip={clip} />
      {copied && verbs().sharePage ? (
        <button
          type="button"
          className="button button--quiet"
          data-testid={copied.kind === 'share' ? 'revoke-share-page' : 'make-share-page'}
          onClick={() =>
            void verbs().sharePage!(clip.id, copied.kind === 'share' ? 'revoke' : 'create').then(
              (result) => {
                if (!result.ok)
                  setProblem(t('published.copyFailed', { message: errorSentence(result.error) }));
                else if (result.value) setCopied(result.value);
                else {
                  setCopied(undefined);
                  setProblem(t('published.shareRevoked'));
                }
              },
            )
          }
        >
          {copied.kind === 'share' ? t('published.revokeShare') : t('published.makeShare')}
        </button>
      ) : null}
      {copied ? (
        <span className="muted small" role="status" data-testid="copied-link" data-url={copied.url}>
          {copied.kind === 'share' ? t('published.copiedShare') : t('published.copiedDownload')}
        </span>
      ) : null}
      {copied?.reach ? <ReachSentence reach={copied.reach} /> : null}
      {problem ? (
        <span className="small" role="alert" data-testid="copy-link-problem">
          {problem}
        </span>
      ) : null}
    </span>
  );
}

/**
 * Why a clip does not play, from main (its media protocol tried the file, then the service):
 * the sentence the player shows instead of a broken video.
 */
export async function playbackSentence(clipId: string): Promise<string> {
  const ask = verbs().playbackProblem;
  if (!ask) return t('published.fileGone');
  const result = await ask(clipId);
  if (!result.ok) return t('published.notPlayable', { reason: errorSentence(result.error) });
  return result.value === null
    ? t('published.cannotPlay')
    : t('published.notPlayable', { reason: result.value });
}

/**
 * Plays a published clip in the window: from the file on this computer while it is there, else
 * from the service, both through the same `gameclips-media://clip/<id>` URL (main relays the
 * service's download link, issue 16 item 1). When neither can be played, one sentence says why.
 */
export function PublishedPlayer({ clip }: { readonly clip: ClipView }) {
  const [problem, setProblem] = useState<{ id: string; sentence?: string } | undefined>();
  if (clip.state !== 'published') return null;
  const failed = problem?.id === clip.id;
  return (
    <section className="published-player" aria-label={t('published.player')}>
      {!failed ? (
        <video
          key={clip.id}
          className="picker__video"
          src={clipMediaUrl(clip.id)}
          controls
          preload="metadata"
          playsInline
          data-testid="published-video"
          onError={() => {
            const id = clip.id;
            setProblem({ id });
            void playbackSentence(id).then((sentence) =>
              setProblem((now) => (now?.id === id ? { id, sentence } : now)),
            );
          }}
        />
      ) : (
        <p className="muted" role="status" data-testid="published-video-missing">
          {problem.sentence ?? t('published.checkingPlayback')}
        </p>
      )}
      <PublishedLinkActions clip={clip} />
    </section>
  );
}
