/**
 * Signed links and continuation tokens.
 *
 * Real download and thumbnail URIs are Azure-blob SAS links (`sv=…&sr=b&si=DefaultAccess&sig=…`)
 * that work without an Authorization header and expire (1.1, 3.7). The sandbox signs the path and
 * the expiry with its persisted secret, so a link survives a restart and a changed port, and a
 * link cannot be forged to reach another clip.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export class Signer {
  constructor(private readonly secret: Buffer) {}

  /** The SAS-style query for `pathname`, valid until `expiresAt` (ms since the epoch). */
  contentQuery(pathname: string, expiresAt: number): string {
    const se = Math.ceil(expiresAt / 1000);
    return `sv=2015-12-11&sr=b&si=DefaultAccess&se=${se}&sig=${encodeURIComponent(this.mac(`content\n${pathname}\n${se}`, 32))}`;
  }

  /** Checks a content link; tells an expired link from a forged one, for the message. */
  checkContent(
    pathname: string,
    query: URLSearchParams,
    now: number,
  ): 'ok' | 'expired' | 'invalid' {
    const se = query.get('se');
    const sig = query.get('sig');
    if (se === null || sig === null || !/^\d{1,12}$/.test(se)) return 'invalid';
    if (!this.equal(sig, this.mac(`content\n${pathname}\n${se}`, 32))) return 'invalid';
    return Number(se) * 1000 < now ? 'expired' : 'ok';
  }

  /**
   * A continuation token for `offset` in the list named by `listKey`: at most 32 characters (A26),
   * and refused when replayed against another list.
   */
  continuationToken(listKey: string, offset: number): string {
    const position = offset.toString(36);
    return `${position}.${this.mac(`list\n${listKey}\n${position}`, 16)}`;
  }

  /** The offset a continuation token stands for, or undefined when it is not one of ours. */
  readContinuationToken(listKey: string, token: string): number | undefined {
    const match = /^([0-9a-z]{1,8})\.([A-Za-z0-9_-]{16})$/.exec(token);
    if (!match) return undefined;
    const position = match[1] as string;
    if (!this.equal(match[2] as string, this.mac(`list\n${listKey}\n${position}`, 16)))
      return undefined;
    return parseInt(position, 36);
  }

  /** The query of a gallery link for `xuid`, valid until `expiresAt` (issue 16, item 4). */
  galleryQuery(xuid: string, expiresAt: number): string {
    const se = Math.ceil(expiresAt / 1000);
    return `u=${xuid}&se=${se}&sig=${this.mac(`gallery\n${xuid}\n${se}`, 32)}`;
  }

  /** The xuid a gallery link is for, when it is ours and has not expired. */
  checkGallery(query: URLSearchParams, now: number): string | 'expired' | undefined {
    const xuid = query.get('u');
    const se = query.get('se');
    const sig = query.get('sig');
    if (xuid === null || se === null || sig === null) return undefined;
    if (!/^\d{1,20}$/.test(xuid) || !/^\d{1,12}$/.test(se)) return undefined;
    if (!this.equal(sig, this.mac(`gallery\n${xuid}\n${se}`, 32))) return undefined;
    return Number(se) * 1000 < now ? 'expired' : xuid;
  }

  private mac(text: string, length: number): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url').slice(0, length);
  }

  private equal(a: string, b: string): boolean {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
