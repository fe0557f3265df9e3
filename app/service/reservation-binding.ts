/**
 * A reservation belongs to the service and the account that made it (issue 14 item 2), and the
 * built-in service's address is not part of it (issue 13 item 8).
 *
 * - At reservation, `bindReservation` records the service (`builtin`, or the custom service's
 *   origin) and the account (a hash of the token's subject), and stores the built-in service's
 *   URIs as paths on its origin, because it may come back on another port after a restart.
 * - Before any byte or token goes to a reservation's URIs, `decideReservationUse` says whether the
 *   current service and account may use it (and at which absolute URIs), must reserve the clip
 *   again (another service, another account), must first ask the service whether it still knows
 *   the reservation (the built-in service moved, or a record from before this rule), or must
 *   refuse because an address is outside the token's scope.
 */
import type { Reservation } from '../clip/clip';
import type { AppErrorCode } from '../errors';
import {
  describeRefusal,
  isLoopbackHost,
  originOf,
  parseUrl,
  tokenScopeFor,
  type TokenScope,
} from '../gameclips/token-scope';

/** The key of the embedded sandbox: its origin changes with its port, its identity does not. */
export const BUILT_IN_SERVICE_KEY = 'builtin';

/** The service and account in use now. */
export interface ServiceBinding {
  /** `builtin`, or the custom service's origin. */
  readonly serviceKey: string;
  /** The hash of the current token's subject (main/gameclips/account-identity.ts). */
  readonly account: string;
  /** The service's base URL now (for the built-in service, on its current port). */
  readonly baseUrl: string;
  /** Where the token may go now. */
  readonly scope: TokenScope;
}

/** The key of a service: `builtin`, or its origin. */
export function serviceKeyOf(kind: 'sandbox' | 'custom', baseUrl: string): string {
  return kind === 'sandbox' ? BUILT_IN_SERVICE_KEY : (originOf(baseUrl) ?? baseUrl);
}

/** The three URIs a reservation sends to. */
type UriFields = Pick<Reservation, 'uploadUri' | 'largeThumbnailUri' | 'smallThumbnailUri'>;

function mapUris(reservation: Reservation, map: (uri: string) => string): UriFields {
  return {
    uploadUri: map(reservation.uploadUri),
    ...(reservation.largeThumbnailUri !== undefined
      ? { largeThumbnailUri: map(reservation.largeThumbnailUri) }
      : {}),
    ...(reservation.smallThumbnailUri !== undefined
      ? { smallThumbnailUri: map(reservation.smallThumbnailUri) }
      : {}),
  };
}

/** A URI on `origin` as a path (with its query); any other URI as it is. */
function relativeTo(uri: string, origin: string): string {
  const url = parseUrl(uri);
  return url && url.origin === origin ? `${url.pathname}${url.search}` : uri;
}

/** A stored path resolved on `origin`; an absolute URI as it is. */
function absoluteOn(uri: string, origin: string): string {
  if (!uri.startsWith('/') || uri.startsWith('//')) return uri;
  return parseUrl(uri, origin)?.href ?? uri;
}

/** The reservation as it is stored: with its service and account, built-in URIs as paths. */
export function bindReservation(reservation: Reservation, binding: ServiceBinding): Reservation {
  const origin = originOf(binding.baseUrl) ?? binding.baseUrl;
  return {
    ...reservation,
    ...(binding.serviceKey === BUILT_IN_SERVICE_KEY
      ? mapUris(reservation, (uri) => relativeTo(uri, origin))
      : {}),
    serviceKey: binding.serviceKey,
    account: binding.account,
  };
}

/**
 * A record written before reservations were bound, on the built-in service (a loopback http
 * base URL whose upload URI is on it): the same reservation with its URIs as paths and its
 * service known, so the old port is no longer part of it. Its account stays unknown: the service
 * is asked whether it knows the clip before anything is uploaded. Undefined when not such a record.
 */
export function migrateLegacyBuiltIn(reservation: Reservation): Reservation | undefined {
  if (reservation.serviceKey !== undefined) return undefined;
  const madeOn = originOf(reservation.serviceUrl);
  if (
    madeOn === undefined ||
    !madeOn.startsWith('http:') ||
    !isLoopbackHost(parseUrl(madeOn)?.hostname ?? '') ||
    originOf(reservation.uploadUri) !== madeOn
  )
    return undefined;
  return {
    ...reservation,
    ...mapUris(reservation, (uri) => relativeTo(uri, madeOn)),
    serviceKey: BUILT_IN_SERVICE_KEY,
  };
}

export type ReservationUse =
  | {
      readonly kind: 'use';
      /** Absolute URIs on the current address. */
      readonly uris: UriFields;
      /**
       * Ask the service first whether it knows this reservation (GET of the clip): the built-in
       * service answers on another port than when it was made, or the record predates binding.
       */
      readonly verify: boolean;
      /** The reservation as it should be stored from now on (bound, current base URL). */
      readonly rebound: Reservation;
    }
  | {
      readonly kind: 're-reserve';
      readonly code: Extract<
        AppErrorCode,
        'gameclips/reservation-other-service' | 'gameclips/reservation-other-account'
      >;
    }
  | {
      readonly kind: 'refuse';
      readonly code: 'gameclips/untrusted-address';
      readonly detail: string;
    };

/**
 * What the current service and account may do with a stored reservation. Never answers `use`
 * with a URI outside the token's scope, nor for a reservation of another service or account.
 */
export function decideReservationUse(
  reservation: Reservation,
  current: ServiceBinding,
): ReservationUse {
  const currentOrigin = originOf(current.baseUrl) ?? current.baseUrl;
  const madeOn = originOf(reservation.serviceUrl);
  let builtIn: boolean;
  let verify: boolean;
  if (reservation.serviceKey === undefined) {
    // A record from before reservations were bound: its service is known only by its base URL.
    const legacyBuiltIn =
      current.serviceKey === BUILT_IN_SERVICE_KEY &&
      madeOn !== undefined &&
      madeOn.startsWith('http:') &&
      isLoopbackHost(parseUrl(madeOn)?.hostname ?? '') &&
      originOf(reservation.uploadUri) === madeOn;
    if (!legacyBuiltIn && madeOn !== currentOrigin)
      return { kind: 're-reserve', code: 'gameclips/reservation-other-service' };
    builtIn = legacyBuiltIn;
    // The account that made it is unknown: the service must say it still knows the clip.
    verify = true;
  } else {
    if (reservation.serviceKey !== current.serviceKey)
      return { kind: 're-reserve', code: 'gameclips/reservation-other-service' };
    // An unknown account (a record migrated from before binding) is checked with the service.
    if (reservation.account !== undefined && reservation.account !== current.account)
      return { kind: 're-reserve', code: 'gameclips/reservation-other-account' };
    builtIn = reservation.serviceKey === BUILT_IN_SERVICE_KEY;
    verify = (builtIn && madeOn !== currentOrigin) || reservation.account === undefined;
  }
  // The built-in service's URIs (paths, or absolute on the address it had then) go to its address
  // now; nothing is ever sent to the port it used to have.
  const uris = mapUris(reservation, (uri) =>
    absoluteOn(builtIn && madeOn !== undefined ? relativeTo(uri, madeOn) : uri, currentOrigin),
  );
  for (const uri of [uris.uploadUri, uris.largeThumbnailUri, uris.smallThumbnailUri]) {
    if (uri === undefined) continue;
    const decision = tokenScopeFor(uri, current.scope);
    if (!decision.allowed)
      return {
        kind: 'refuse',
        code: 'gameclips/untrusted-address',
        detail: describeRefusal(uri, decision),
      };
  }
  const rebound = bindReservation(
    { ...reservation, ...uris, serviceUrl: current.baseUrl },
    current,
  );
  return { kind: 'use', uris, verify, rebound };
}
