/**
 * "Share on my network" (issue 16, item 3), in main: keeps the built-in service's network
 * listeners in step with the Settings switch, at once and without a restart. Each look (the window
 * asking, a link being copied, the switch changing) checks the computer's addresses again, so a
 * laptop that moved to another Wi-Fi shares on its new address.
 *
 * Off, or with no network address, or with another service: nothing listens but loopback.
 */
import { networkInterfaces } from 'node:os';
import type { NetworkShareView } from '../../app/ipc/contract';
import { networkAddresses } from '../../app/service/network-share';
import type { RunningSandbox } from '../sandbox/index';
import type { Logger } from '../util/logger';

export interface NetworkShare {
  /** Applies the switch as it is now and answers what the service does on the network. */
  apply(): Promise<NetworkShareView>;
  /** The origin copied links use (`http://192.0.2.2:<port>`) while sharing is on; else undefined. */
  origin(): Promise<string | undefined>;
}

export function createNetworkShare(deps: {
  /** The built-in service; undefined with a custom service. */
  readonly sandbox: () => Promise<RunningSandbox | undefined>;
  /** The Settings switch. */
  readonly wanted: () => boolean;
  /** This computer's network IPv4 addresses; from os.networkInterfaces() by default. */
  readonly addresses?: () => string[];
  readonly logger: Logger;
}): NetworkShare {
  const addresses = deps.addresses ?? (() => networkAddresses(networkInterfaces()));
  let last: NetworkShareView = { state: 'off', found: [], origins: [] };
  let queue: Promise<NetworkShareView> = Promise.resolve(last);

  async function run(): Promise<NetworkShareView> {
    const sandbox = await deps.sandbox().catch(() => undefined);
    const found = addresses();
    let view: NetworkShareView;
    if (!sandbox) view = { state: 'not-built-in', found, origins: [] };
    else if (!deps.wanted()) {
      await sandbox.shareOnNetwork([]);
      view = { state: 'off', found, origins: [] };
    } else if (found.length === 0) {
      await sandbox.shareOnNetwork([]);
      view = { state: 'no-address', found, origins: [] };
    } else {
      const answer = await sandbox.shareOnNetwork(found);
      const failed = answer.failed.map((entry) => `${entry.address}: ${entry.reason}`).join('; ');
      // Nothing listening and nothing failed: the service is stopping.
      view =
        answer.origins.length > 0
          ? { state: 'on', found, origins: answer.origins, ...(failed ? { failed } : {}) }
          : failed
            ? { state: 'failed', found, origins: [], failed }
            : { state: 'off', found, origins: [] };
    }
    if (view.state !== last.state || view.origins.join() !== last.origins.join())
      deps.logger.info('network sharing', { state: view.state, origins: view.origins.join(' ') });
    last = view;
    return view;
  }

  function apply(): Promise<NetworkShareView> {
    queue = queue.then(run, run);
    return queue;
  }

  return {
    apply,
    async origin() {
      const view = await apply();
      return view.state === 'on' ? view.origins[0] : undefined;
    },
  };
}
