/**
 * "Share on my network" (issue 16, item 3), the pure part: which of the computer's addresses the
 * built-in service listens on when the user turns it on, and who can open a copied link.
 */

/** One address of a network interface, as `os.networkInterfaces()` lists it. */
export interface InterfaceAddress {
  readonly address: string;
  readonly family: string | number;
  readonly internal: boolean;
}

/**
 * The IPv4 addresses other computers on the network can reach this one at: not loopback
 * (`internal`), not link-local (169.254.x.x, given when no network answered), each once, in the
 * order the system lists them.
 */
export function networkAddresses(
  interfaces: Readonly<Record<string, readonly InterfaceAddress[] | undefined>>,
): string[] {
  const found: string[] = [];
  for (const entries of Object.values(interfaces))
    for (const entry of entries ?? []) {
      const ipv4 = entry.family === 'IPv4' || entry.family === 4;
      if (!ipv4 || entry.internal) continue;
      if (entry.address.startsWith('127.') || entry.address.startsWith('169.254.')) continue;
      if (!found.includes(entry.address)) found.push(entry.address);
    }
  return found;
}

/** Who can open a link the app copies: this computer only, or anyone on the network with it. */
export type LinkReach = 'computer' | 'network';

/**
 * The share link as a friend on the network opens it: the same path on the network origin.
 * Only a share page moves (`/share/...`); anything else stays on loopback.
 */
export function networkShareUrl(
  loopbackUrl: string,
  loopbackBase: string,
  networkOrigin: string,
): string | undefined {
  if (!loopbackUrl.startsWith(`${loopbackBase}/share/`)) return undefined;
  return `${networkOrigin}${loopbackUrl.slice(loopbackBase.length)}`;
}
