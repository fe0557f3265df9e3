import { describe, expect, it } from 'vitest';
import {
  clipFileReturned,
  clipStopped,
  newClipRecord,
  rejectedClipRecord,
  reservationSucceeded,
  uploadCancelled,
  uploadPaused,
  uploadStarted,
  type ClipRecord,
} from '../../../app/clip/clip';
import { errorView } from '../../../app/errors';
import {
  isDuplicateOf,
  isRestorable,
  isWatchedForMissing,
  needsDecision,
  sameContent,
} from '../../../app/intake/known-path';
import { describeRootStatus, intakeStatus, rootStatus } from '../../../app/intake/root-status';

const now = '2026-11-30T12:00:00.000Z';
const file = { path: '/clips/a.mp4', size: 100, mtimeMs: 1000, fingerprint: 'fp-a' };
const probe = { container: 'mp4', durationSeconds: 2, recordedAt: now } as const;
const draft = { caption: '', visibility: 'Owner' } as const;

function reserved(id = 'a', identity = file): ClipRecord {
  return reservationSucceeded(
    newClipRecord({ id, origin: 'watch', file: identity, probe, draft, now }),
    { gameClipId: `g-${id}`, uploadUri: 'https://x/u' } as never,
    { serviceUrl: 'https://x', scid: 's' },
    now,
  );
}
const missing = (record: ClipRecord) =>
  clipStopped(record, 'missing', errorView('intake/missing'), now);

describe('a path is not an identity', () => {
  it('decides a listed file again unless a record there has its size and mtime (or the pipeline owns it)', () => {
    const listed = { size: 100, mtimeMs: 1000 };
    const other = { size: 120, mtimeMs: 2000 };
    expect(needsDecision([], listed)).toBe(true);
    expect(needsDecision([reserved()], listed)).toBe(false);
    // The pipeline checks its own file before uploading: not the scan's business.
    expect(needsDecision([reserved()], other)).toBe(false);
    // A new recording under a cancelled (or published) clip's name.
    expect(needsDecision([uploadCancelled(reserved(), now)], other)).toBe(true);
    expect(needsDecision([uploadCancelled(reserved(), now)], listed)).toBe(false);
    // A missing clip's file back as it was: decided, so that the clip is restored.
    expect(needsDecision([missing(reserved())], listed)).toBe(true);
  });

  it('finds the record holding the same content at a path, outcomes aside', () => {
    const refused = rejectedClipRecord({
      id: 'r',
      origin: 'watch',
      file,
      error: errorView('intake/empty'),
      draft,
      now,
    });
    expect(sameContent([refused], file)).toBeUndefined();
    expect(sameContent([refused, reserved()], file)?.id).toBe('a');
    expect(sameContent([reserved()], { size: 100, fingerprint: 'other' })).toBeUndefined();
  });

  it('restores a missing clip to reserved, or paused once blocks were sent, keeping its reservation', () => {
    const gone = missing(reserved());
    expect(isRestorable(gone)).toBe(true);
    const back = clipFileReturned(gone, { ...file, path: '/clips/b.mp4' }, now);
    expect(back).toMatchObject({ state: 'reserved', file: { path: '/clips/b.mp4' } });
    expect(back.error).toBeUndefined();
    expect(back.reservation).toEqual(gone.reservation);
    const sent = missing(uploadPaused(uploadStarted(reserved(), 3, now), now));
    expect(clipFileReturned(sent, file, now).state).toBe('paused');
    expect(isWatchedForMissing(reserved())).toBe(true);
    expect(isWatchedForMissing(uploadStarted(reserved(), 3, now))).toBe(false);
  });

  it('knows a refused copy of a clip', () => {
    const original = reserved();
    const copy = rejectedClipRecord({
      id: 'c',
      origin: 'watch',
      file: { ...file, path: '/other/a copy.mp4' },
      error: errorView('intake/duplicate'),
      draft,
      now,
    });
    expect(isDuplicateOf(copy, original)).toBe(true);
    expect(isDuplicateOf(copy, reserved('b', { ...file, fingerprint: 'fp-b' }))).toBe(false);
  });
});

describe('a deleted root', () => {
  it('is missing, waited for, and says so on the CLI', () => {
    const root = rootStatus({
      path: '/clips',
      state: 'missing',
      message: 'Missing: waiting for it to come back.',
    });
    expect(describeRootStatus(root)).toBe(
      'missing   /clips: Missing: waiting for it to come back.',
    );
    expect(intakeStatus([root], false).state).toBe('error');
    const watching = rootStatus({ path: '/more', state: 'watching' });
    expect(intakeStatus([root, watching], false)).toMatchObject({
      state: 'watching',
      message: '1 of 2 folders need attention.',
    });
  });
});
