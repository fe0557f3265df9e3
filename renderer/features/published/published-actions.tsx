/**
 * What a published clip offers in the window (issue 16, items 1 and 2): play it here, copy a link
 * that works, open it in the browser. Main picks the link (the built-in service's share page, or
 * a download link fetched again when it has expired), so the window never holds a dead one.
 */
import { useState } from 'react';
import type { ClipView } from '../../../app/clip/views';
import type { SharedLink } from '../../../app/ipc/contract';
import { errorSentence, t } from '../../i18n/translate';
import { useClipsActions } from '../../stores/stores-context';
import { clipMediaUrl } from '../thumbnail/frames';

type CopyLink = (
  clipId: string,
) => Promise<
  | { readonly ok: true; readonly value: SharedLink }
  | { readonly ok: false; readonly error: { code: string; message: string } }
>;

function copyLinkVerb(): CopyLink | undefined {
  const api = (globalThis as { companion?: { clips?: { copyLink?: CopyLink } } }).companion;
  return api?.clips?.copyLink;
}

/** "Copy link" and "Open in browser" for a published clip; nothing for other states. */
export function PublishedLinkActions({ clip }: { readonly clip: ClipView }) {
  const actions = useClipsActions();
  const [copied, setCopied] = useState<SharedLink | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  if (clip.state !== 'published') return null;
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
      {copied ? (
        <span className="muted small" role="status" data-testid="copied-link" data-url={copied.url}>
          {copied.kind === 'share' ? t('published.copiedShare') : t('published.copiedDownload')}
        </span>
      ) : null}
      {problem ? (
        <span className="small" role="alert" data-testid="copy-link-problem">
          {problem}
        </span>
      ) : null}
    </span>
  );
}

/** Plays a published clip in the window from the file on this computer while it is there. */
export function PublishedPlayer({ clip }: { readonly clip: ClipView }) {
  const [playable, setPlayable] = useState(true);
  if (clip.state !== 'published') return null;
  return (
    <section className="published-player" aria-label={t('published.player')}>
      {playable ? (
        <video
          key={clip.id}
          className="picker__video"
          src={clipMediaUrl(clip.id)}
          controls
          preload="metadata"
          playsInline
          data-testid="published-video"
          onError={() => setPlayable(false)}
        />
      ) : (
        <p className="muted" data-testid="published-video-missing">
          {t('published.fileGone')}
        </p>
      )}
      <PublishedLinkActions clip={clip} />
    </section>
  );
}
