/**
 * The clip lifecycle table (app/clip/lifecycle.ts) and the commands derived from it
 * (app/clip/commands.ts): one case per bug the issue lists, and the rules around them.
 */
import { describe, expect, it } from 'vitest';
import { checkCommand, commandsFor } from '../../../app/clip/commands';
import { transition } from '../../../app/clip/lifecycle';
import { errorView } from '../../../app/errors';
import { FILE, NOW, REQUEST, detected, reserved, run, uploading } from './lifecycle-fixtures';

describe('transition', () => {
  it('assigns the states of a normal life: reserving, reserved, uploading, processing, published', () => {
    const published = run(
      uploading(),
      { type: 'blocks-acked', acked: [0, 1, 2, 3, 4], committed: true },
      { type: 'committed', serviceState: 'Uploaded' },
      { type: 'service-state-seen', serviceState: 'Processing' },
      { type: 'service-state-seen', serviceState: 'Published', links: { recordedAt: NOW } },
    );
    expect(published.state).toBe('published');
    expect(published.upload).toMatchObject({ committed: true, serviceState: 'Published' });
  });

  it('refuses a cancel where there is nothing to cancel, with the existing code and a sentence', () => {
    const waiting = run(
      detected(),
      { type: 'reserve-sent', request: REQUEST },
      {
        type: 'reserve-failed',
        outcome: 'deferred',
        error: errorView('gameclips/rate-limited'),
        retryAt: NOW,
      },
    );
    const refused = transition(waiting, { type: 'cancelled' }, NOW);
    expect(refused).toEqual({
      ok: false,
      code: 'upload/not-allowed-now',
      sentence:
        'It cannot be cancelled while the clip is waiting to be reserved (there is no reservation yet).',
    });
    expect(commandsFor(waiting)).not.toContain('cancel');
  });

  it('offers Cancel on failed and missing clips that still hold a reservation', () => {
    const failed = run(uploading(), {
      type: 'upload-stopped',
      state: 'failed',
      error: errorView('gameclips/rejected'),
    });
    const missing = run(reserved(), { type: 'file-gone' });
    expect(commandsFor(failed)).toContain('cancel');
    expect(commandsFor(missing)).toContain('cancel');
  });

  it('makes a cancelled clip read-only with Restore, which reserves it again', () => {
    const cancelled = run(reserved(), { type: 'cancelled' });
    expect(commandsFor(cancelled)).toEqual(['restore', 'remove-from-list']);
    const edit = checkCommand(cancelled, 'edit');
    expect(edit).toMatchObject({ ok: false, code: 'upload/not-allowed-now' });
    const restored = run(cancelled, { type: 'restored' });
    expect(restored.state).toBe('reserving');
    expect(restored.reservation).toBeUndefined();
    expect(restored.request).toBeUndefined();
    // Restoring is not sending: it waits for the user again once reserved.
    expect(restored.sendOnReserve).toBeUndefined();
  });

  it('gives a missing clip Locate and Remove; its file back (same content) carries on', () => {
    const missing = run(reserved(), { type: 'file-gone' });
    expect(missing.error?.code).toBe('intake/missing');
    expect(commandsFor(missing)).toEqual(expect.arrayContaining(['locate', 'remove-from-list']));
    const back = run(missing, { type: 'file-back', identity: { ...FILE, path: '/moved.mp4' } });
    expect(back.state).toBe('reserved');
    expect(back.file.path).toBe('/moved.mp4');
    const other = transition(
      missing,
      { type: 'file-back', identity: { ...FILE, fingerprint: 'other' } },
      NOW,
    );
    expect(other.ok).toBe(false);
  });

  it('renews an expired reservation once, then fails', () => {
    const renewing = run(uploading(), { type: 'expired' });
    expect(renewing).toMatchObject({ state: 'reserving', renewals: 1, sendOnReserve: true });
    const again = run(
      renewing,
      { type: 'reserve-sent', request: REQUEST },
      {
        type: 'reserve-succeeded',
        response: { gameClipId: 'gc-2', uploadUri: 'u' },
        where: {
          serviceUrl: 's',
          scid: 'x',
        },
      },
      { type: 'send-requested', by: 'renewal', expectedBlocks: 5 },
      { type: 'expired' },
    );
    expect(again.state).toBe('failed');
    expect(again.error?.code).toBe('gameclips/expired');
  });

  it('lets a renewal send only a clip the user had sent', () => {
    const refused = transition(
      reserved(),
      { type: 'send-requested', by: 'renewal', expectedBlocks: 5 },
      NOW,
    );
    expect(refused.ok).toBe(false);
  });

  it('never retries a clip into uploading that nobody sent', () => {
    const missing = run(reserved(), { type: 'file-gone' });
    expect(transition(missing, { type: 'retry-requested', expectedBlocks: 5 }, NOW).ok).toBe(false);
    expect(commandsFor(missing)).not.toContain('retry');
  });

  it('keeps acknowledged blocks across pause and resume', () => {
    const resumed = run(
      uploading(),
      { type: 'blocks-acked', acked: [0, 1], committed: false },
      { type: 'paused' },
      { type: 'resumed', expectedBlocks: 5 },
    );
    expect(resumed.state).toBe('uploading');
    expect(resumed.upload?.ackedBlocks).toEqual([0, 1]);
  });

  it('offers the row, editor and batch commands per state', () => {
    expect(commandsFor(reserved())).toEqual(['send', 'cancel', 'edit']);
    expect(commandsFor(uploading())).toEqual(['pause', 'cancel', 'edit']);
    expect(commandsFor(run(uploading(), { type: 'paused' }))).toEqual(['resume', 'cancel', 'edit']);
    expect(commandsFor(detected())).toEqual(['edit']);
  });
});
