/**
 * Records and events for the lifecycle tests: a clip at each point of its life, built only
 * through transition() (no hand-set states), and an arbitrary over every event.
 */
import fc from 'fast-check';
import type { ClipRecord, FileIdentity } from '../../../app/clip/clip';
import { firstRecord, mustTransition, type LifecycleEvent } from '../../../app/clip/lifecycle';
import { errorView } from '../../../app/errors';
import type { InitialUploadRequest } from '../../../app/gameclips/wire';

export const NOW = '2026-01-01T00:00:00.000Z';
export const SIZE = 9_000_000; // five blocks
export const FILE: FileIdentity = {
  path: '/videos/clip.mp4',
  size: SIZE,
  mtimeMs: 1,
  fingerprint: 'abc',
};

export const REQUEST = { expectedBlocks: 5, fileSize: SIZE } as unknown as InitialUploadRequest;
export const RESPONSE = { gameClipId: 'gc-1', uploadUri: 'http://127.0.0.1/u' };
export const WHERE = { serviceUrl: 'http://127.0.0.1', scid: 'scid' };

export function detected(): ClipRecord {
  return firstRecord(
    {
      id: 'c1',
      origin: 'watch',
      file: FILE,
      draft: { caption: '', visibility: 'Owner' },
      now: NOW,
    },
    { type: 'detected', probe: { container: 'mp4', durationSeconds: 10, recordedAt: NOW } },
  );
}

/** Applies events that must all be allowed. */
export function run(record: ClipRecord, ...events: LifecycleEvent[]): ClipRecord {
  return events.reduce((current, event) => mustTransition(current, event, NOW), record);
}

export function reserved(): ClipRecord {
  return run(
    detected(),
    { type: 'reserve-sent', request: REQUEST },
    { type: 'reserve-succeeded', response: RESPONSE, where: WHERE },
  );
}

export function uploading(): ClipRecord {
  return run(reserved(), { type: 'send-requested', by: 'user', expectedBlocks: 5 });
}

const anyError = fc.constantFrom(
  errorView('gameclips/network'),
  errorView('gameclips/unauthorized'),
  errorView('gameclips/rejected'),
);

/** Every event the pipeline, the intake or the user can cause, with plausible payloads. */
export const anyEvent: fc.Arbitrary<LifecycleEvent> = fc.oneof(
  fc.constant<LifecycleEvent>({ type: 'reserve-sent', request: REQUEST }),
  fc.constant<LifecycleEvent>({ type: 'reserve-succeeded', response: RESPONSE, where: WHERE }),
  anyError.map<LifecycleEvent>((error) => ({
    type: 'reserve-failed',
    outcome: 'deferred',
    error,
    retryAt: NOW,
  })),
  anyError.map<LifecycleEvent>((error) => ({
    type: 'reserve-failed',
    outcome: 'ambiguous',
    error,
  })),
  fc
    .tuple(fc.constantFrom('blocked' as const, 'rejected' as const), anyError)
    .map<LifecycleEvent>(([state, error]) => ({
      type: 'reserve-failed',
      outcome: 'stopped',
      state,
      error,
    })),
  fc
    .constantFrom('user' as const, 'policy' as const, 'renewal' as const)
    .map<LifecycleEvent>((by) => ({ type: 'send-requested', by, expectedBlocks: 5 })),
  fc.constant<LifecycleEvent>({ type: 'paused' }),
  fc.constant<LifecycleEvent>({ type: 'resumed', expectedBlocks: 5 }),
  fc.constant<LifecycleEvent>({ type: 'cancelled' }),
  fc
    .tuple(fc.subarray([0, 1, 2, 3, 4]), fc.boolean())
    .map<LifecycleEvent>(([acked, committed]) => ({ type: 'blocks-acked', acked, committed })),
  fc.constant<LifecycleEvent>({ type: 'acks-forgotten' }),
  anyError.map<LifecycleEvent>((error) => ({ type: 'upload-retrying', error, retryAt: NOW })),
  fc
    .tuple(fc.constantFrom('failed' as const, 'blocked' as const), anyError)
    .map<LifecycleEvent>(([state, error]) => ({ type: 'upload-stopped', state, error })),
  fc.constant<LifecycleEvent>({ type: 'committed', serviceState: 'Uploaded' }),
  fc
    .constantFrom('Processing', 'Published', 'Error', 'Flagged')
    .map<LifecycleEvent>((serviceState) => ({ type: 'service-state-seen', serviceState })),
  fc.constant<LifecycleEvent>({ type: 'service-lost' }),
  fc.constant<LifecycleEvent>({ type: 'file-changed' }),
  fc.constant<LifecycleEvent>({ type: 'file-changed', identity: { ...FILE, mtimeMs: 2 } }),
  fc.constant<LifecycleEvent>({ type: 'file-gone' }),
  fc.constant<LifecycleEvent>({ type: 'file-back', identity: { ...FILE, path: '/moved.mp4' } }),
  fc.constant<LifecycleEvent>({ type: 'expired' }),
  fc.constant<LifecycleEvent>({ type: 'retry-requested', expectedBlocks: 5 }),
  fc.constant<LifecycleEvent>({ type: 'restored' }),
  fc.constant<LifecycleEvent>({ type: 'draft-edited', patch: { caption: 'gg' } }),
);
