/**
 * Issue 17 item 5: updates from a generic feed, against a loopback HTTP server serving
 * latest-linux.yml and a file. The updater is electron-updater's own Linux (deb) updater over a
 * plain-Node app adapter and HTTP executor (no Electron here); the app passes `autoUpdater`
 * instead. The check finds the update, the download is verified against the feed's sha512, a
 * bad checksum is refused. The install step (quitAndInstall: dpkg/NSIS/Squirrel) is not run.
 */
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor';
import {
  CancellationToken,
  configureRequestOptions,
  configureRequestUrl,
  type DownloadOptions,
} from 'builder-util-runtime';
import { DebUpdater } from 'electron-updater/out/DebUpdater';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../main/util/logger';
import { startUpdates, type Updates, type UpdaterLike } from '../../../main/desktop/updates';
import { tempDir } from '../../support/clips';

let home: { dir: string; cleanup: () => Promise<void> };
let server: Server;
let feed: string;
let requests: string[];
let updates: Updates | undefined;
const PAYLOAD = Buffer.from('pretend this is gameclips-companion_0.2.0_amd64.deb\n'.repeat(2000));
let advertisedSha512: string;

/**
 * Node's HTTP executor plus the `download` electron-updater's Electron executor adds (the same
 * few lines as electron-updater/out/electronHttpExecutor.js, over node:http instead of net).
 */
class NodeDownloadExecutor extends NodeHttpExecutor {
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers || undefined, redirect: 'manual' };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      (this as unknown as { doDownload(o: unknown, d: unknown, r: number): void }).doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error: Error | null) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}
void CancellationToken;

function updater(): UpdaterLike {
  const updater = new DebUpdater(undefined, {
    version: '0.1.0',
    name: 'GameClips Companion',
    isPackaged: true,
    appUpdateConfigPath: path.join(home.dir, 'app-update.yml'),
    userDataPath: path.join(home.dir, 'user-data'),
    baseCachePath: path.join(home.dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  });
  (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor =
    new NodeDownloadExecutor();
  return updater as unknown as UpdaterLike;
}

function recorder() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (message) => lines.push(`info ${message}`),
    warn: (message, fields) => lines.push(`warn ${message} ${JSON.stringify(fields ?? {})}`),
    error: (message) => lines.push(`error ${message}`),
  };
  return { logger, lines };
}

beforeEach(async () => {
  home = await tempDir('gc-updates-');
  requests = [];
  advertisedSha512 = createHash('sha512').update(PAYLOAD).digest('base64');
  // What electron-builder writes into the packaged app (resources/app-update.yml).
  await writeFile(
    path.join(home.dir, 'app-update.yml'),
    'provider: generic\nurl: http://127.0.0.1/unused\nupdaterCacheDirName: gameclips-companion-updater\n',
  );
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/feed/latest-linux.yml') {
      res.writeHead(200, { 'Content-Type': 'text/yaml' });
      res.end(
        [
          'version: 0.2.0',
          'files:',
          '  - url: gameclips-companion_0.2.0_amd64.deb',
          `    sha512: ${advertisedSha512}`,
          `    size: ${PAYLOAD.length}`,
          'path: gameclips-companion_0.2.0_amd64.deb',
          `sha512: ${advertisedSha512}`,
          "releaseDate: '2026-11-30T12:00:00.000Z'",
          '',
        ].join('\n'),
      );
    } else if (url.pathname === '/feed/gameclips-companion_0.2.0_amd64.deb') {
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(PAYLOAD.length),
      });
      res.end(PAYLOAD);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feed = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed/`;
});
afterEach(async () => {
  updates?.stop();
  updates = undefined;
  await new Promise((resolve) => server.close(resolve));
  await home.cleanup();
});

describe('updates', () => {
  it('are off when the build has no feed URL', () => {
    const { logger, lines } = recorder();
    const made = vi.fn(updater);
    expect(startUpdates({ feedUrl: '', updater: made, logger, onReady: () => undefined })).toBe(
      undefined,
    );
    expect(made).not.toHaveBeenCalled();
    expect(lines).toEqual(['info updates: off (no feed URL in this build)']);
  });

  it('finds the update, downloads it in the background and verifies its sha512', async () => {
    const { logger } = recorder();
    const ready: string[] = [];
    updates = startUpdates({
      feedUrl: feed,
      updater,
      logger,
      onReady: (version) => ready.push(version),
    });
    expect(updates?.restartToUpdate()).toBe(undefined);
    await vi.waitFor(() => expect(ready).toEqual(['0.2.0']), { timeout: 20_000 });
    expect(updates?.readyVersion()).toBe('0.2.0');
    expect(updates?.restartToUpdate()).toBeTypeOf('function');
    expect(requests).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/feed\/latest-linux\.yml/u),
        '/feed/gameclips-companion_0.2.0_amd64.deb',
      ]),
    );
    const downloaded = path.join(
      home.dir,
      'cache',
      'gameclips-companion-updater',
      'pending',
      'gameclips-companion_0.2.0_amd64.deb',
    );
    expect(existsSync(downloaded)).toBe(true);
    expect((await readFile(downloaded)).equals(PAYLOAD)).toBe(true);
  });

  it('refuses a download whose sha512 does not match the feed', async () => {
    advertisedSha512 = createHash('sha512').update('something else').digest('base64');
    const { logger, lines } = recorder();
    const ready: string[] = [];
    updates = startUpdates({
      feedUrl: feed,
      updater,
      logger,
      onReady: (version) => ready.push(version),
    });
    await vi.waitFor(
      () => expect(lines.join('\n')).toMatch(/warn updates: failed .*sha512 checksum mismatch/u),
      { timeout: 20_000 },
    );
    expect(ready).toEqual([]);
    expect(updates?.restartToUpdate()).toBe(undefined);
    expect(
      existsSync(
        path.join(
          home.dir,
          'cache',
          'gameclips-companion-updater',
          'pending',
          'gameclips-companion_0.2.0_amd64.deb',
        ),
      ),
    ).toBe(false);
  });

  it('checks again on its interval', async () => {
    const { logger } = recorder();
    updates = startUpdates({
      feedUrl: feed,
      updater,
      logger,
      onReady: () => undefined,
      intervalMs: 50,
    });
    await vi.waitFor(
      () =>
        expect(
          requests.filter((url) => url.startsWith('/feed/latest-linux.yml')).length,
        ).toBeGreaterThanOrEqual(3),
      { timeout: 20_000 },
    );
  });
});
