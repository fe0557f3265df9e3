/**
 * "Share on my network" (issue 16, item 3): what the built-in service answers on the computer's
 * network (LAN) address, when the user turns it on. Only the share pages and their assets
 * (`/share/<id>`, `/share/<id>/video`, `/share/<id>/thumbnail`): the link is the permission and the
 * page reveals one clip. Everything else (the GameClips API, uploads, signed content links, the
 * gallery, the /sandbox/ admin routes) answers only on loopback; on the network it is refused with
 * 403 and `notOnNetwork`.
 *
 * Pure: the route table (server.ts) asks `networkMayReach` for every request that came in on a
 * network listener (network-listeners.ts).
 */

/** The kinds of route in the table (server.ts). */
export type Surface = 'protocol' | 'upload' | 'content' | 'admin' | 'share';

/** Where a request came in: the loopback listener, or a listener on a network address. */
export type Reach = 'loopback' | 'network';

/** The route names a request from the network may reach: the share page and its assets. */
export const NETWORK_ROUTES: ReadonlySet<string> = new Set(['share.page', 'share.asset']);

/**
 * Whether a request that came in on the network address may reach this route. Only share-surface
 * routes named in NETWORK_ROUTES: `/gallery` is a share-surface page too, but it lists the
 * account's clips for the user on this computer, so it stays on loopback.
 */
export function networkMayReach(route: {
  readonly surface: Surface;
  readonly name: string;
}): boolean {
  return route.surface === 'share' && NETWORK_ROUTES.has(route.name);
}

/** The sentence a refused network request gets. */
export const NOT_ON_NETWORK =
  'Only share pages answer on the network address; the rest of the built-in service answers only this computer.';
