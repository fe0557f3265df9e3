/**
 * The only way the app opens a browser: the user asks to open a clip's published link, the window
 * names the clip by id, and main opens the link the service gave for that clip, if it is one a
 * browser may be sent to. No URL from the page is ever opened (issue 14, item 6).
 */
import type { ClipRecord } from '../../app/clip/clip';
import { fail, ok } from '../../app/ipc/result';
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
}): LinksPort {
  return {
    async open(clipId) {
      const record = (await deps.ledger()).get(clipId);
      if (!record) return fail('ipc/unknown-clip');
      const link = serviceLinkToOpen(record);
      if (link === undefined) {
        deps.logger.warn('refused to open a clip link', { id: clipId, state: record.state });
        return fail('ipc/invalid-arguments', 'This clip has no published link to open.');
      }
      await deps.openExternal(link);
      return ok(true);
    },
  };
}
