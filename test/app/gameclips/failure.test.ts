/**
 * One classification of call failures (app/gameclips/failure.ts): the same status means the same
 * thing for reservation and upload, and 404 is told apart by the call it answered.
 */
import { describe, expect, it } from 'vitest';
import { classifyFailure, type CallFailure } from '../../../app/gameclips/failure';

const http = (status: number, message?: string, retryAfterSeconds?: number): CallFailure => ({
  kind: 'http',
  status,
  ...(message ? { message } : {}),
  ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
});

describe('classifyFailure', () => {
  it('reads a 403 the same on the reserve call and on a block', () => {
    const device = http(403, 'This device type may not upload.');
    expect(classifyFailure('reserve', device)).toMatchObject({
      kind: 'stop',
      state: 'blocked',
      code: 'gameclips/forbidden-device',
    });
    expect(classifyFailure('block', device)).toMatchObject({
      kind: 'stop',
      state: 'blocked',
      code: 'gameclips/forbidden-device',
    });
  });

  it('tells the three meanings of 404 apart, and a 404 on delete is done', () => {
    expect(classifyFailure('reserve', http(404))).toMatchObject({ code: 'gameclips/not-found' });
    expect(classifyFailure('block', http(404))).toMatchObject({
      state: 'failed',
      code: 'gameclips/rejected',
    });
    expect(classifyFailure('poll', http(404))).toMatchObject({
      state: 'failed',
      code: 'gameclips/processing-failed',
    });
    expect(classifyFailure('delete', http(404))).toEqual({ kind: 'done' });
  });

  it('retries what certainly did not apply, and reconciles what may have', () => {
    expect(classifyFailure('reserve', http(503))).toMatchObject({ kind: 'retry' });
    expect(classifyFailure('reserve', http(429, undefined, 5))).toMatchObject({
      kind: 'retry',
      code: 'gameclips/rate-limited',
    });
    expect(classifyFailure('reserve', http(500))).toMatchObject({ kind: 'ambiguous' });
    expect(classifyFailure('block', http(500))).toMatchObject({ kind: 'retry' });
    const reset: CallFailure = { kind: 'network', sent: true, message: 'ECONNRESET' };
    expect(classifyFailure('reserve', reset)).toMatchObject({ kind: 'ambiguous' });
    expect(classifyFailure('block', reset)).toMatchObject({ kind: 'retry' });
    const refused: CallFailure = { kind: 'network', sent: false, message: 'ECONNREFUSED' };
    expect(classifyFailure('reserve', refused)).toMatchObject({
      kind: 'retry',
      code: 'gameclips/network',
    });
  });

  it('stops with the reason the user can act on', () => {
    expect(classifyFailure('reserve', http(400, 'Over quota'))).toMatchObject({
      state: 'blocked',
      code: 'gameclips/over-quota',
    });
    expect(classifyFailure('reserve', http(400, 'Caption too long'))).toMatchObject({
      state: 'rejected',
      code: 'gameclips/rejected',
    });
    expect(classifyFailure('block', http(401))).toMatchObject({
      state: 'blocked',
      code: 'gameclips/unauthorized',
    });
    expect(classifyFailure('block', http(410))).toMatchObject({ kind: 'expired' });
    const stalled: CallFailure = { kind: 'network', sent: true, message: 'x', stalled: true };
    expect(classifyFailure('block', stalled)).toMatchObject({ code: 'upload/no-progress' });
  });
});
