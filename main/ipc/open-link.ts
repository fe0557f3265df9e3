/**
 * The only way the app opens a browser: the user asks to open a clip's published link, the window
 * names the clip by id, and main opens the link the service gave for that clip, if it is one a
 * browser may be sent to. No URL from the page is ever opened (issue 14, item 6).
 */
import type { ClipRecord } from '../../app/clip/clip';
import type { SharedLink } from '../../app/ipc/contract';
import { fail, ok, type IpcResult } from '../../app/ipc/result';
import type { Logger } from '../util/logger';
import { externalLinkToOpen } from '../desktop/guards';
import type { ClipLedger } from '../ledger/clip-ledger';
import type { LinksPort } from './ports';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The service's download link of a published clip, when it is safe to hand to the browser: https
 * (or http on a loopback address, where the built-in service lives), no user name or password in
 * it, of a sane length. Anything else is undefined.
 */
export function serviceLinkToOpen(record: ClipRecord | undefined): string | undefined {
  if (record?.state !== 'published') return undefined;
  const link = record.links?.downloadUri;
  if (link === undefined) return undefined;
  return safeServiceLink(link);
}

/** A link from the service that a browser may be sent to (https, or http on loopback). */
export function safeServiceLink(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
    return url.username === '' && url.password === '' ? url.href : undefined;
  return externalLinkToOpen(link);
}

export function createLinksPort(deps: {
  readonly ledger: () => Promise<ClipLedger>;
  readonly openExternal: (url: string) => Promise<void>;
  readonly logger: Logger;
  /** `shell.showItemInFolder`: shows a clip's own file, by id (issue 15, item 1). */
  readonly showItemInFolder?: (path: string) => void;
  /** The link that works now (issue 16): a share page, or a download link fetched again. */
  readonly working?: (clipId: string) => Promise<IpcResult<SharedLink>>;
}): LinksPort {
  return {
    async open(clipId) {
      const record = (await deps.ledger()).get(clipId);
      if (!record) return fail('ipc/unknown-clip');
      const resolved =
        deps.working && record.state === 'published' ? await deps.working(clipId) : undefined;
      if (resolved && !resolved.ok) return resolved;
      const link = resolved?.ok ? safeServiceLink(resolved.value.url) : serviceLinkToOpen(record);
      if (link === undefined) {
        deps.logger.warn('refused to open a clip link', { id: clipId, state: record.state });
        return fail('ipc/invalid-arguments', 'This clip has no published link to open.');
      }
      await deps.openExternal(link);
      return ok(true);
    },
    async showInFolder(clipId) {
      const record = (await deps.ledger()).get(clipId);
      if (!record) return fail('ipc/unknown-clip');
      if (deps.showItemInFolder === undefined) return fail('app/internal', 'No file manager here.');
      deps.showItemInFolder(record.file.path);
      return ok(true);
    },
  };
}
