/**
 * The listeners on the computer's network addresses ("Share on my network", issue 16, item 3):
 * one HTTP server per IPv4 address, beside the loopback one, which stays exactly as it is. Each
 * tries the loopback port first (so links look alike), else a free port. Turning sharing off
 * closes them and cuts their connections at once; the loopback listener is never touched.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the sandbox answers on the network now. */
export interface NetworkShareState {
  /** `http://<address>:<port>` of each network listener, in the order asked. */
  readonly origins: readonly string[];
  /** Addresses that could not be listened on, with why. */
  readonly failed: readonly { readonly address: string; readonly reason: string }[];
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export class NetworkListeners {
  private readonly servers = new Map<string, { server: Server; origin: string }>();
  private failed: NetworkShareState['failed'] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    /** A server that answers as a network listener (reach 'network'). */
    private readonly makeServer: () => Server,
    /** The loopback port, tried first on each address. */
    private readonly port: number,
  ) {}

  /** Listens on exactly these IPv4 addresses (none: sharing off); one change at a time. */
  set(addresses: readonly string[]): Promise<NetworkShareState> {
    const run = this.queue.then(() => this.apply(addresses));
    this.queue = run.catch(() => undefined);
    return run;
  }

  state(): NetworkShareState {
    return {
      origins: [...this.servers.values()].map((entry) => entry.origin),
      failed: this.failed,
    };
  }

  /** Closes every network listener for good (the sandbox is stopping). */
  close(): Promise<void> {
    this.closed = true;
    return this.set([]).then(() => undefined);
  }

  private async apply(wanted: readonly string[]): Promise<NetworkShareState> {
    const addresses = this.closed ? [] : [...new Set(wanted)];
    for (const [address, entry] of [...this.servers]) {
      if (addresses.includes(address)) continue;
      this.servers.delete(address);
      await stop(entry.server);
    }
    const failed: { address: string; reason: string }[] = [];
    for (const address of addresses) {
      if (this.servers.has(address)) continue;
      try {
        const server = this.makeServer();
        let port: number;
        try {
          port = await listenOn(server, this.port, address);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
          port = await listenOn(server, 0, address);
        }
        this.servers.set(address, { server, origin: `http://${address}:${port}` });
      } catch (error) {
        failed.push({ address, reason: (error as Error).message });
      }
    }
    this.failed = failed;
    const order = new Map(addresses.map((address, index) => [address, index]));
    const origins = [...this.servers]
      .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
      .map(([, entry]) => entry.origin);
    return { origins, failed };
  }
}
