/**
 * Working links to published clips (issue 16, items 1 and 2). The window never holds a dead link:
 * before a link is copied or opened, main picks the one that works now.
 *
 * - The built-in service: the clip's share page (`/share/<id>`), which needs no token and does not
 *   expire. Public/Default clips get one on first ask; Owner clips have none unless the user asks
 *   (`ensureShare`), and then the download link is used instead.
 * - Otherwise the service's download link, fetched again with a GET of the clip (spec 3.7) when
 *   its `expiration` has passed or is about to; the fresh link is written to the record.
 *
 * A copied share page names who can open it (`reach`): with "Share on my network" on, it is the
 * page's network form (`http://192.0.2.2:<port>/share/<id>`) that anyone on the network can open;
 * otherwise the loopback form only this computer can. "Open in browser" keeps the loopback form.
 */
import type { ClipRecord } from '../../app/clip/clip';
import type { SharedLink } from '../../app/ipc/contract';
import { fail, ok, type IpcResult } from '../../app/ipc/result';
import { networkShareUrl } from '../../app/service/network-share';
import type { Logger } from '../util/logger';
import type { AccountProvider, GameClipsClient } from '../gameclips/gameclips-client';
import type { ClipLedger } from '../ledger/clip-ledger';

/** A download link that stops working within this much is fetched again first. */
export const LINK_REFRESH_MARGIN_MS = 60_000;

export interface PublishedService {
  readonly kind: 'sandbox' | 'custom';
  readonly baseUrl: string;
  readonly client: Pick<GameClipsClient, 'getClip'>;
  readonly account: Pick<AccountProvider, 'authorization'>;
}

/** The built-in service's signed gallery link for the account (issue 16, item 4). */
export async function galleryLink(service: PublishedService): Promise<IpcResult<string>> {
  if (service.kind !== 'sandbox')
    return fail('ipc/invalid-arguments', 'Only the built-in service has a gallery.');
  const authorization = await service.account.authorization();
  if (authorization === undefined)
    return fail('ipc/invalid-arguments', 'The built-in service has no account yet.');
  try {
    const response = await fetch(`${service.baseUrl}/users/me/gallery`, {
      headers: { Authorization: authorization, 'X-RequestedServiceVersion': '1' },
      signal: AbortSignal.timeout(15_000),
    });
    const body =
      response.status === 200 ? ((await response.json()) as { galleryUrl?: unknown }) : {};
    if (
      typeof body.galleryUrl === 'string' &&
      body.galleryUrl.startsWith(`${service.baseUrl}/gallery?`)
    )
      return ok(body.galleryUrl);
  } catch {
    // Falls through to the sentence below.
  }
  return fail(
    'ipc/invalid-arguments',
    'The built-in service did not answer; try again in a moment.',
  );
}

export interface ShareLinks {
  /** The link that works now for a published clip. */
  working(clipId: string): Promise<IpcResult<SharedLink>>;
  /** `working`, then onto the clipboard. */
  copy(clipId: string): Promise<IpcResult<SharedLink>>;
  /** Makes the clip's share page (copied) or revokes it (null), on the built-in service. */
  sharePage(clipId: string, action: 'create' | 'revoke'): Promise<IpcResult<SharedLink | null>>;
  /**
   * The service's download link of a published clip, for main to stream it to the window when
   * the file is gone (main/protocol/published-media.ts): the record's while fresh, else fetched
   * again; `refresh` fetches again anyway (the service refused the stored one).
   */
  download(
    clipId: string,
    options?: { readonly refresh?: boolean },
  ): Promise<IpcResult<SharedLink>>;
}

export function createShareLinks(deps: {
  readonly ledger: () => Promise<ClipLedger>;
  readonly service: () => Promise<PublishedService>;
  readonly writeClipboard: (text: string) => void;
  readonly logger: Logger;
  readonly now?: () => number;
  /** The built-in service's network origin while "Share on my network" is on (issue 16, item 3). */
  readonly networkOrigin?: () => Promise<string | undefined>;
}): ShareLinks {
  const now = deps.now ?? Date.now;

  /** The form of a link to copy: a share page moves to the network origin when sharing is on. */
  async function toCopy(link: SharedLink): Promise<SharedLink> {
    const service = await deps.service();
    if (service.kind !== 'sandbox') return link;
    const origin = link.kind === 'share' ? await deps.networkOrigin?.() : undefined;
    const moved = origin ? networkShareUrl(link.url, service.baseUrl, origin) : undefined;
    return moved ? { ...link, url: moved, reach: 'network' } : { ...link, reach: 'computer' };
  }

  async function sharePage(
    service: PublishedService,
    record: ClipRecord,
  ): Promise<SharedLink | undefined> {
    if (service.kind !== 'sandbox' || !record.reservation) return undefined;
    const authorization = await service.account.authorization();
    if (authorization === undefined) return undefined;
    const { scid, gameClipId } = record.reservation;
    try {
      const response = await fetch(
        `${service.baseUrl}/users/me/scids/${encodeURIComponent(scid)}/clips/${encodeURIComponent(gameClipId)}/share`,
        {
          headers: {
            Authorization: authorization,
            'X-RequestedServiceVersion': '1',
            'x-xbl-contract-version': '1',
            Accept: 'application/json',
          },
          signal: AbortSignal.timeout(15_000),
        },
      );
      if (response.status !== 200) {
        await response.body?.cancel();
        return undefined;
      }
      const body = (await response.json()) as { shareUrl?: unknown };
      return typeof body.shareUrl === 'string' &&
        body.shareUrl.startsWith(`${service.baseUrl}/share/`)
        ? { url: body.shareUrl, kind: 'share' }
        : undefined;
    } catch (error) {
      deps.logger.warn('share page lookup failed', { id: record.id, error: String(error) });
      return undefined;
    }
  }

  async function downloadLink(
    service: PublishedService,
    ledger: ClipLedger,
    record: ClipRecord,
    refresh = false,
  ): Promise<IpcResult<SharedLink>> {
    const links = record.links;
    const expires = links?.downloadUriExpires ? Date.parse(links.downloadUriExpires) : Number.NaN;
    const fresh =
      links?.downloadUri !== undefined &&
      (Number.isNaN(expires) || expires - LINK_REFRESH_MARGIN_MS > now());
    if (fresh && !refresh && links?.downloadUri)
      return ok({
        url: links.downloadUri,
        kind: 'download',
        ...(links.downloadUriExpires ? { expires: links.downloadUriExpires } : {}),
      });
    if (!record.reservation)
      return fail('ipc/invalid-arguments', 'This clip has no published link.');
    const answer = await service.client.getClip(
      record.reservation.scid,
      record.reservation.gameClipId,
    );
    if (!answer.ok) {
      const gone = answer.failure.kind === 'http' && answer.failure.status === 404;
      return fail(
        'ipc/invalid-arguments',
        gone
          ? 'The service no longer has this clip, so there is no link to share.'
          : 'The service could not be reached for a fresh link; try again in a moment.',
      );
    }
    const download =
      answer.value.gameClipUris?.find((uri) => uri.uriType === 'Download') ??
      answer.value.gameClipUris?.find((uri) => uri.uriType === 'Original');
    if (!download) return fail('ipc/invalid-arguments', 'The service gave no link for this clip.');
    const latest = ledger.get(record.id) ?? record;
    await ledger.put({
      ...latest,
      links: {
        ...(latest.links ?? { recordedAt: new Date(now()).toISOString() }),
        downloadUri: download.uri,
        ...(download.expiration ? { downloadUriExpires: download.expiration } : {}),
      },
    });
    return ok({
      url: download.uri,
      kind: 'download',
      ...(download.expiration ? { expires: download.expiration } : {}),
    });
  }

  async function online(
    clipId: string,
  ): Promise<IpcResult<{ ledger: ClipLedger; record: ClipRecord }>> {
    const ledger = await deps.ledger();
    const record = ledger.get(clipId);
    if (!record) return fail('ipc/unknown-clip');
    if (record.state !== 'published')
      return fail('ipc/invalid-arguments', 'Only a published clip has a link.');
    if (record.removedFromServiceAt !== undefined)
      return fail(
        'ipc/invalid-arguments',
        'This clip was removed from the service, so it has no link any more.',
      );
    return ok({ ledger, record });
  }

  async function working(clipId: string): Promise<IpcResult<SharedLink>> {
    const found = await online(clipId);
    if (!found.ok) return found;
    const { ledger, record } = found.value;
    const service = await deps.service();
    const share = await sharePage(service, record);
    if (share) return ok(share);
    return downloadLink(service, ledger, record);
  }

  return {
    working,
    async download(clipId, options) {
      const found = await online(clipId);
      if (!found.ok) return found;
      const { ledger, record } = found.value;
      return downloadLink(await deps.service(), ledger, record, options?.refresh === true);
    },
    async sharePage(clipId, action) {
      const record = (await deps.ledger()).get(clipId);
      if (!record) return fail('ipc/unknown-clip');
      const service = await deps.service();
      if (
        service.kind !== 'sandbox' ||
        !record.reservation ||
        record.state !== 'published' ||
        record.removedFromServiceAt !== undefined
      )
        return fail(
          'ipc/invalid-arguments',
          'Only a clip online on the built-in service has a share page.',
        );
      const authorization = await service.account.authorization();
      if (authorization === undefined)
        return fail('ipc/invalid-arguments', 'The built-in service has no account yet.');
      const { scid, gameClipId } = record.reservation;
      try {
        const response = await fetch(
          `${service.baseUrl}/users/me/scids/${encodeURIComponent(scid)}/clips/${encodeURIComponent(gameClipId)}/share`,
          {
            method: action === 'create' ? 'POST' : 'DELETE',
            headers: { Authorization: authorization, 'X-RequestedServiceVersion': '1' },
            signal: AbortSignal.timeout(15_000),
          },
        );
        if (action === 'revoke' && response.status === 204) return ok(null);
        if (action === 'create' && response.status === 200) {
          const body = (await response.json()) as { shareUrl?: unknown };
          if (
            typeof body.shareUrl === 'string' &&
            body.shareUrl.startsWith(`${service.baseUrl}/share/`)
          ) {
            const link = await toCopy({ url: body.shareUrl, kind: 'share' });
            deps.writeClipboard(link.url);
            return ok(link);
          }
        }
        await response.body?.cancel();
      } catch (error) {
        deps.logger.warn('share page change failed', { id: clipId, error: String(error) });
      }
      return fail(
        'ipc/invalid-arguments',
        'The built-in service did not answer; try again in a moment.',
      );
    },
    async copy(clipId) {
      const found = await working(clipId);
      if (!found.ok) return found;
      const link = await toCopy(found.value);
      deps.writeClipboard(link.url);
      return ok(link);
    },
  };
}
