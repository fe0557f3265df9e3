/**
 * The completion gate: decides whether a file is a finished clip, one still being written, or
 * one to refuse with a reason (clip-lifecycle.md section 1).
 *
 * A clip passes only when (1) its size and mtime hold still across a short window and (2) its
 * container is structurally complete. Content decides the type, never the extension.
 */
import type { Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import type { ClipProbe, FileIdentity } from '../../app/clip/clip';
import type { AppErrorCode } from '../../app/errors';
import { MAX_UINT32 } from '../../app/gameclips/limits';
import { quickFingerprint } from './fingerprint';
import { walkTopLevelBoxes } from './iso-bmff';
import { checkMatroska } from './matroska';
import { isoBrand, probeIsoFile } from './probe';

export type GateResult =
  | { readonly kind: 'ready'; readonly identity: FileIdentity; readonly probe: ClipProbe }
  | { readonly kind: 'wait'; readonly reason: string }
  | {
      readonly kind: 'reject';
      readonly code: AppErrorCode;
      readonly detail: string;
      readonly identity: FileIdentity;
    }
  | { readonly kind: 'gone' };

export interface GateOptions {
  /** How long size and mtime must hold still. */
  readonly stabilityMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly nowMs: () => number;
  /**
   * A fragmented MP4 with neither an `mfra` index nor a declared total duration cannot prove it
   * is finished: it is accepted once it has not changed for this long (default 10 s).
   */
  readonly fragmentQuietMs?: number;
  /** Bounds how many files are open at once; the stability window itself holds no file open. */
  readonly withOpenFile?: <T>(task: () => Promise<T>) => Promise<T>;
  /**
   * Whether another program still holds the file open for writing. On Windows recorders open
   * their output without write sharing, so asking for write access fails while they record
   * (clip-lifecycle.md section 1, step 3); elsewhere nothing can tell, and this says no.
   */
  readonly heldByWriter?: (filePath: string) => Promise<boolean>;
}

/** Windows: a recorder's handle denies write sharing, so opening for writing fails with EBUSY. */
export async function heldByWriterOnWindows(
  filePath: string,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  if (platform !== 'win32') return false;
  try {
    const handle = await open(filePath, 'r+');
    await handle.close();
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EBUSY' || code === 'EPERM' || code === 'EACCES';
  }
}

const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

export async function checkCompletion(filePath: string, options: GateOptions): Promise<GateResult> {
  const first = await lstat(filePath).catch(() => undefined);
  if (!first?.isFile()) return { kind: 'gone' };
  await options.sleep(options.stabilityMs);
  const second = await lstat(filePath).catch(() => undefined);
  if (!second?.isFile()) return { kind: 'gone' };
  if (second.size !== first.size || second.mtimeMs !== first.mtimeMs)
    return { kind: 'wait', reason: 'the file is still growing' };
  if (await (options.heldByWriter ?? heldByWriterOnWindows)(filePath))
    return { kind: 'wait', reason: 'another program still has the file open for writing' };

  const bare: FileIdentity = {
    path: filePath,
    size: second.size,
    mtimeMs: second.mtimeMs,
    fingerprint: '',
  };
  if (second.size === 0)
    return {
      kind: 'reject',
      code: 'intake/empty',
      detail: '',
      identity: bare,
    };
  // Checked before reading: a clip over the u32 `fileSize` limit can never be reserved, whatever it holds.
  if (second.size > MAX_UINT32) {
    return {
      kind: 'reject',
      code: 'intake/too-large',
      detail: tooLargeDetail(second.size),
      identity: bare,
    };
  }

  const withOpenFile = options.withOpenFile ?? ((task) => task());
  return withOpenFile(() => inspect(filePath, second, bare, options));
}

async function inspect(
  filePath: string,
  second: Stats,
  bare: FileIdentity,
  options: GateOptions,
): Promise<GateResult> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    return {
      kind: 'reject',
      code: 'intake/unreadable',
      detail: (error as NodeJS.ErrnoException).code ?? String(error),
      identity: bare,
    };
  }
  try {
    const magic = Buffer.alloc(12);
    await handle.read(magic, 0, 12, 0);
    const fingerprint = () => quickFingerprint(handle, second.size);
    if (second.size < 8 && !couldStartAContainer(magic.subarray(0, second.size)))
      return {
        kind: 'reject',
        code: 'intake/not-a-video',
        detail: 'Too short to hold a video container header.',
        identity: bare,
      };
    if (magic.subarray(0, 4).equals(EBML_MAGIC)) {
      const result = await checkMatroska(
        handle,
        second.size,
        Math.min(second.birthtimeMs || Infinity, second.mtimeMs),
      );
      if (result.kind === 'incomplete') return { kind: 'wait', reason: result.reason };
      if (result.kind === 'not-matroska')
        return {
          kind: 'reject',
          code: 'intake/not-a-video',
          detail: `Container check: ${result.reason}.`,
          identity: bare,
        };
      return finish(result.probe, { ...bare, fingerprint: await fingerprint() });
    }
    const walk = await walkTopLevelBoxes(handle, second.size);
    if (walk.kind === 'not-iso')
      return {
        kind: 'reject',
        code: 'intake/not-a-video',
        detail: `Container check: ${walk.reason}.`,
        identity: bare,
      };
    if (walk.kind === 'incomplete') return { kind: 'wait', reason: walk.reason };
    const brand = await isoBrand(handle, walk.boxes);
    const probed = await probeIsoFile(handle, walk.boxes, second, brand, options.nowMs());
    if (!probed.ok) return { kind: 'wait', reason: probed.reason };
    // Recorders write an empty moov first; refusing it as zero-length would lose the recording.
    if (probed.awaitingFragments)
      return { kind: 'wait', reason: 'a fragmented recording with no fragments yet' };
    if (
      !probed.fragmentsComplete &&
      options.nowMs() - second.mtimeMs < (options.fragmentQuietMs ?? 10_000)
    )
      return { kind: 'wait', reason: 'fragments so far do not cover the declared duration' };
    return finish(probed.probe, { ...bare, fingerprint: await fingerprint() });
  } finally {
    await handle.close();
  }
}

/**
 * Whether a few bytes could be the start of a file still being written: an EBML header, or an
 * ISO box whose 32-bit size begins with a zero byte (every first box a recorder writes is far
 * smaller than 16 MiB). Anything else will never become a clip, however long we wait.
 */
function couldStartAContainer(head: Buffer): boolean {
  if (head.length === 0) return true;
  if (EBML_MAGIC.subarray(0, head.length).equals(head)) return true;
  return head[0] === 0;
}

/**
 * The technical line of a 4 GiB refusal: the size in GiB as a person reads it, with the exact
 * limit for a bug report. Never the file's bytes themselves (issue 15, item 2).
 */
export function tooLargeDetail(size: number): string {
  const gib = (size / 2 ** 30).toFixed(1);
  return `The file is ${gib} GiB; GameClips takes at most 4 GiB (${MAX_UINT32.toLocaleString('en')} bytes).`;
}

/** Limits the service would refuse, checked before any POST. */
function finish(probe: ClipProbe, identity: FileIdentity): GateResult {
  if (!(probe.durationSeconds > 0))
    return {
      kind: 'reject',
      code: 'intake/zero-duration',
      detail: 'Container check: the declared duration is 0 seconds.',
      identity,
    };
  return { kind: 'ready', identity, probe };
}
