/**
 * A consistent view of the user's clips on the service (issue 13 item 9).
 *
 * The list route pages by position (skipItems, or a continuation token that stands for an
 * offset), so a clip deleted between two pages shifts the rest by one and a clip is skipped: an
 * orphan search that skips its orphan reserves the clip twice. The service offers no query by
 * correlation id (spec section 2 lists no such filter), so the list is read with the service's
 * continuation tokens, whole, again and again until two complete passes agree on every clip and
 * its state. What two passes in a row both saw is a view no concurrent change has torn.
 */
import type { GameClip } from '../../app/gameclips/wire';
import type { CallFailure, GameClipsClient } from '../gameclips/gameclips-client';

export interface InventoryOptions {
  /** Clips per page asked for (the service may return fewer). */
  readonly pageSize?: number;
  /** Complete passes before giving up on agreement (the list keeps changing). */
  readonly maxPasses?: number;
  /** Guard against a service whose tokens never end. */
  readonly maxPages?: number;
  readonly signal?: AbortSignal;
}

export type InventoryResult =
  | { readonly ok: true; readonly clips: readonly GameClip[]; readonly passes: number }
  | { readonly ok: false; readonly reason: 'failed'; readonly failure: CallFailure }
  | { readonly ok: false; readonly reason: 'unsettled' | 'aborted'; readonly passes: number };

/** One complete pass: every page, following continuation tokens to the end. */
async function onePass(
  client: Pick<GameClipsClient, 'listClips'>,
  scid: string,
  options: InventoryOptions,
): Promise<{ ok: true; clips: GameClip[] } | { ok: false; failure: CallFailure }> {
  const clips: GameClip[] = [];
  let continuationToken: string | undefined;
  let pages = 0;
  do {
    const page = await client.listClips(scid, {
      ...(continuationToken ? { continuationToken } : {}),
      maxItems: options.pageSize ?? 100,
    });
    if (!page.ok) return { ok: false, failure: page.failure };
    clips.push(...page.value.gameClips);
    continuationToken = page.value.pagingInfo?.continuationToken ?? undefined;
    if (++pages >= (options.maxPages ?? 10_000)) break;
  } while (continuationToken);
  return { ok: true, clips };
}

/** Pure: the key two passes must share (every clip id with its state, order ignored). */
export function passKey(clips: readonly Pick<GameClip, 'gameClipId' | 'state'>[]): string {
  return clips
    .map((clip) => `${clip.gameClipId}:${clip.state}`)
    .sort()
    .join('|');
}

/** Lists the user's clips until two complete passes agree. */
export async function consistentInventory(
  client: Pick<GameClipsClient, 'listClips'>,
  scid: string,
  options: InventoryOptions = {},
): Promise<InventoryResult> {
  const maxPasses = options.maxPasses ?? 6;
  let previous: string | undefined;
  for (let passes = 1; passes <= maxPasses; passes++) {
    if (options.signal?.aborted) return { ok: false, reason: 'aborted', passes };
    const pass = await onePass(client, scid, options);
    if (!pass.ok) return { ok: false, reason: 'failed', failure: pass.failure };
    const key = passKey(pass.clips);
    if (key === previous) return { ok: true, clips: pass.clips, passes };
    previous = key;
  }
  return { ok: false, reason: 'unsettled', passes: maxPasses };
}
