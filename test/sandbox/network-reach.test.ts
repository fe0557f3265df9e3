/* eslint-disable @microsoft/sdl/no-insecure-url -- the built-in service is plain http on the LAN address, by design */
/**
 * Issue 16, item 3, the pure decision: which routes a request that came in on the network address
 * may reach (only the share page and its assets), and which addresses count as the network's.
 */
import { describe, expect, it } from 'vitest';
import { networkAddresses, networkShareUrl } from '../../app/service/network-share';
import { networkMayReach, type Surface } from '../../main/sandbox/network';

describe('networkMayReach', () => {
  it('lets the share page and its assets through', () => {
    expect(networkMayReach({ surface: 'share', name: 'share.page' })).toBe(true);
    expect(networkMayReach({ surface: 'share', name: 'share.asset' })).toBe(true);
  });

  it('refuses the gallery, though it is a share-surface page (it lists the account)', () => {
    expect(networkMayReach({ surface: 'share', name: 'gallery.page' })).toBe(false);
  });

  it('refuses every other surface, whatever the route is named', () => {
    const others: Surface[] = ['protocol', 'upload', 'content', 'admin'];
    for (const surface of others)
      for (const name of ['share.page', 'share.asset', 'get', 'list', 'download', 'sandbox.health'])
        expect(networkMayReach({ surface, name }), `${surface} ${name}`).toBe(false);
  });
});

describe('networkAddresses', () => {
  it('keeps non-internal IPv4 addresses once, in order; drops loopback, IPv6 and link-local', () => {
    expect(
      networkAddresses({
        lo: [
          { address: '127.0.0.1', family: 'IPv4', internal: true },
          { address: '::1', family: 'IPv6', internal: true },
        ],
        eth0: [
          { address: '192.0.2.2', family: 'IPv4', internal: false },
          { address: 'fe80::1', family: 'IPv6', internal: false },
        ],
        wlan0: [
          { address: '169.254.10.20', family: 'IPv4', internal: false },
          { address: '10.1.2.3', family: 4, internal: false },
          { address: '192.0.2.2', family: 'IPv4', internal: false },
        ],
        down: undefined,
      }),
    ).toEqual(['192.0.2.2', '10.1.2.3']);
  });

  it('finds none on a computer with loopback only', () => {
    expect(
      networkAddresses({ lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }] }),
    ).toEqual([]);
  });
});

describe('networkShareUrl', () => {
  it('moves a share page to the network origin and nothing else', () => {
    const base = 'http://127.0.0.1:5000';
    expect(networkShareUrl(`${base}/share/abc`, base, 'http://192.0.2.2:5000')).toBe(
      'http://192.0.2.2:5000/share/abc',
    );
    expect(networkShareUrl(`${base}/content/x/video?sig=1`, base, 'http://192.0.2.2:5000')).toBe(
      undefined,
    );
    expect(networkShareUrl('http://127.0.0.1:6000/share/abc', base, 'http://192.0.2.2:5000')).toBe(
      undefined,
    );
  });
});
