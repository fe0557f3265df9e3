/* eslint-disable @microsoft/sdl/no-insecure-url -- the built-in service is plain http on the LAN address, by design */
/**
 * Issue 16, item 3, main's side: the Settings switch drives the built-in service's network
 * listeners at once (no restart); with no network address it stays off and says so; with another
 * service there is nothing to share. Real sandbox, real listeners on this machine's address.
 */
import { get as httpGet } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkAddresses } from '../../../app/service/network-share';
import { createNetworkShare } from '../../../main/core/network-share';
import { silentLogger } from '../../../main/util/logger';
import { openSandbox, type TestSandbox } from '../../sandbox/support';

const lan = networkAddresses(networkInterfaces())[0];
let sandbox: TestSandbox;

function reach(url: string): Promise<number | 'refused'> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error),
    );
  });
}

beforeAll(async () => {
  sandbox = await openSandbox();
});
afterAll(() => sandbox.close());

describe('network sharing in main', () => {
  it('with no network address: stays off, says so, listens on nothing', async () => {
    const share = createNetworkShare({
      sandbox: () => Promise.resolve(sandbox.running),
      wanted: () => true,
      addresses: () => [],
      logger: silentLogger,
    });
    expect(await share.apply()).toEqual({ state: 'no-address', found: [], origins: [] });
    expect(await share.origin()).toBeUndefined();
  });

  it('with another service: nothing to share', async () => {
    const share = createNetworkShare({
      sandbox: () => Promise.resolve(undefined),
      wanted: () => true,
      addresses: () => ['192.0.2.2'],
      logger: silentLogger,
    });
    expect((await share.apply()).state).toBe('not-built-in');
    expect(await share.origin()).toBeUndefined();
  });

  it.skipIf(lan === undefined)(
    `follows the switch at once on ${lan ?? 'no address (none on this machine)'}`,
    async () => {
      let wanted = false;
      const share = createNetworkShare({
        sandbox: () => Promise.resolve(sandbox.running),
        wanted: () => wanted,
        logger: silentLogger,
      });
      const origin = `http://${lan}:${sandbox.running.port}`;
      const off = await share.apply();
      expect(off.state).toBe('off');
      expect(off.found).toContain(lan);
      expect(await reach(`${origin}/share/x`)).toBe('refused');

      wanted = true;
      const on = await share.apply();
      expect(on).toMatchObject({ state: 'on', origins: [origin] });
      expect(await share.origin()).toBe(origin);
      // A share id nobody made: the share route answers (404), so the listener is there.
      expect(await reach(`${origin}/share/AAAAAAAAAAAAAAAAAAAAAAAA`)).toBe(404);
      expect(await reach(`${origin}/gallery`)).toBe(403);

      wanted = false;
      expect((await share.apply()).state).toBe('off');
      expect(await share.origin()).toBeUndefined();
      expect(await reach(`${origin}/share/AAAAAAAAAAAAAAAAAAAAAAAA`)).toBe('refused');
      expect(await reach(`${sandbox.baseUrl}/share/AAAAAAAAAAAAAAAAAAAAAAAA`)).toBe(404);
    },
  );
});
