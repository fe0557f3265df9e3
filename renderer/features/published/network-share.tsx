/**
 * "Share on my network" (issue 16, item 3) in the window: the Settings switch, and the sentence
 * saying who can open the links the app copies, beside Copy link and in the History header.
 * Main applies the switch at once (no restart) and answers what the service does on the network.
 */
import { useEffect, useState } from 'react';
import type { LinkReach } from '../../../app/service/network-share';
import type { NetworkShareView } from '../../../app/ipc/contract';
import { errorSentence, t } from '../../../app/i18n/translate';
import { useApp, useSettings, useSettingsActions } from '../../stores/stores-context';

type Answer<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { code: string; message: string } };

function networkVerb(): (() => Promise<Answer<NetworkShareView>>) | undefined {
  return (
    globalThis as {
      companion?: { service?: { networkShare?: () => Promise<Answer<NetworkShareView>> } };
    }
  ).companion?.service?.networkShare;
}

/** What the built-in service does on the network now, asked again whenever the switch changes. */
export function useNetworkShare(): { view?: NetworkShareView; problem?: string } {
  const wanted = useSettings((state) => state.view?.settings.shareOnNetwork);
  const builtIn = useApp((state) => state.status?.service.kind === 'sandbox');
  const [answer, setAnswer] = useState<{ view?: NetworkShareView; problem?: string }>({});
  useEffect(() => {
    const ask = networkVerb();
    if (!ask || !builtIn) return;
    let live = true;
    void ask().then((result) => {
      if (!live) return;
      setAnswer(result.ok ? { view: result.value } : { problem: errorSentence(result.error) });
    });
    return () => {
      live = false;
    };
  }, [wanted, builtIn]);
  return answer;
}

/** Who can open a link: the copied link's own reach, else what the service does now. */
export function reachOf(view: NetworkShareView | undefined): LinkReach {
  return view?.state === 'on' ? 'network' : 'computer';
}

/** "Only this computer can open these links" / "Anyone on your network with the link can open it". */
export function ReachSentence({ reach }: { readonly reach: LinkReach }) {
  return (
    <span className="muted small" data-testid="link-reach" data-reach={reach}>
      {reach === 'network' ? t('network.reachNetwork') : t('network.reachComputer')}
    </span>
  );
}

/** Who can open the links the app copies now (History header); built-in service only. */
export function CurrentReachNote() {
  const builtIn = useApp((state) => state.status?.service.kind === 'sandbox');
  const { view } = useNetworkShare();
  if (!builtIn || view === undefined) return null;
  return <ReachSentence reach={reachOf(view)} />;
}

/** Settings: the switch, who can open links, the addresses used, and why it cannot be on. */
export function NetworkShareSection() {
  const builtIn = useApp((state) => state.status?.service.kind === 'sandbox');
  const wanted = useSettings((state) => state.view?.settings.shareOnNetwork ?? false);
  const actions = useSettingsActions();
  const { view, problem } = useNetworkShare();
  if (!builtIn || !networkVerb()) return null;
  const noAddress = view !== undefined && view.found.length === 0;
  const on = view?.state === 'on';
  return (
    <section
      className="settings-group"
      aria-labelledby="network-share-title"
      data-testid="network-share"
      data-state={view?.state ?? 'unknown'}
    >
      <h3 id="network-share-title">{t('network.title')}</h3>
      <div className="toggle">
        <input
          id="network-share-switch"
          type="checkbox"
          data-testid="network-share-switch"
          checked={wanted && !noAddress}
          disabled={noAddress}
          aria-describedby="network-share-hint network-share-reach"
          onChange={(event) => void actions.changed({ shareOnNetwork: event.target.checked })}
        />
        <label htmlFor="network-share-switch">{t('network.switch')}</label>
        <span id="network-share-hint" className="toggle__hint muted small">
          {t('network.hint')} {t('network.applied')}
        </span>
      </div>
      <p
        id="network-share-reach"
        data-testid="network-share-reach"
        data-reach={on ? 'network' : 'computer'}
      >
        <strong>{on ? t('network.reachNetwork') : t('network.reachComputer')}</strong>
      </p>
      {on ? (
        <p className="small" data-testid="network-share-addresses">
          {t('network.addresses', { addresses: view.origins.join(', ') })}
          <br />
          <span className="muted">{t('network.firewall')}</span>
        </p>
      ) : view && view.found.length > 0 ? (
        <p className="small muted" data-testid="network-share-found">
          {t('network.found', { addresses: view.found.join(', ') })}
        </p>
      ) : null}
      {noAddress ? (
        <p className="small" role="status" data-testid="network-share-none">
          {t('network.noAddress')}
        </p>
      ) : null}
      {view?.state === 'failed' ? (
        <p className="small" role="alert" data-testid="network-share-failed">
          {t('network.failed', { reason: view.failed ?? '' })}
        </p>
      ) : null}
      {problem ? (
        <p className="small" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
