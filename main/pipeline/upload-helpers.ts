/**
 * Small helpers the upload's parts share: the file's identity check, idempotent calls with a short
 * retry window, an abortable sleep, and the journal names.
 */
import { lstat, open } from 'node:fs/promises';
import type { ClipRecord } from '../../app/clip/clip';
import { outcomeOf } from '../../app/gameclips/failure';
import { WAIT_CLAMPS, decideRetry, type RetryPolicy } from '../../app/retry';
import type { CallResult } from '../gameclips/gameclips-client';
import { quickFingerprint } from '../intake/fingerprint';
import { abortableSleep } from './sleep';

export async function checkIdentity(
  record: ClipRecord,
): Promise<'same' | 'gone' | 'changed' | ClipRecord['file']> {
  const file = record.file;
  const info = await lstat(file.path).catch(() => undefined);
  if (!info?.isFile()) return 'gone';
  if (info.size !== file.size) return 'changed';
  let fingerprint: string;
  try {
    const handle = await open(file.path, 'r');
    try {
      fingerprint = await quickFingerprint(handle, info.size);
    } finally {
      await handle.close();
    }
  } catch {
    return 'gone';
  }
  if (fingerprint !== file.fingerprint) return 'changed';
  // Touched or copied over itself with the same bytes: the same clip, with its new times.
  return info.mtimeMs === file.mtimeMs ? 'same' : { ...file, mtimeMs: info.mtimeMs };
}

/** Idempotent calls (thumbnail PUT, update POST, DELETE, GET) with a short retry window. */
export async function withRetries<T>(
  call: () => Promise<CallResult<T>>,
  signal?: AbortSignal,
): Promise<CallResult<T>> {
  const policy: RetryPolicy = {
    baseDelayMs: 1000,
    maxDelayMs: 8000,
    maxAttempts: 4,
    maxWaitMs: WAIT_CLAMPS.followMaxMs,
  };
  for (let attempt = 1; ; attempt++) {
    const result = await call();
    if (result.ok) return result;
    if (result.failure.kind === 'network' && result.failure.refused) return result;
    const decision = decideRetry(outcomeOf(result.failure), attempt, {
      idempotent: true,
      policy,
      random: Math.random(),
    });
    if (!decision.retry || signal?.aborted) return result;
    await abortableSleep(decision.delayMs, signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/** The journal's and the block reference's file name for a reservation. */
export function sanitize(gameClipId: string): string {
  return gameClipId.replace(/[^0-9A-Za-z-]/gu, '_').slice(0, 80);
}

export function now(): string {
  return new Date().toISOString();
}
