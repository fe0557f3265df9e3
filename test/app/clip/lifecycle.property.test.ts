/**
 * Property tests over random event sequences (issue 12): every state reachable through
 * transition() has a command list that main's check accepts exactly; acknowledged bytes shown
 * never decrease; nothing uploads without a send or a policy release.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLIP_STATES, type ClipRecord } from '../../../app/clip/clip';
import { CLIP_COMMANDS, commandEvent, commandsFor } from '../../../app/clip/commands';
import { transition, type LifecycleEvent } from '../../../app/clip/lifecycle';
import { ackedBytes } from '../../../app/upload/blocks';
import {
  progressAcked,
  progressRestarted,
  startProgress,
  type ClipProgress,
} from '../../../app/upload/progress';
import { allowed } from '../../../main/pipeline/clip-commands';
import type { ClipLedger } from '../../../main/ledger/clip-ledger';
import { NOW, SIZE, anyEvent, detected } from './lifecycle-fixtures';

function ledgerOf(record: ClipRecord): ClipLedger {
  return {
    all: () => [record],
    get: (id) => (id === record.id ? record : undefined),
    put: () => Promise.resolve(),
    remove: () => Promise.resolve(),
    subscribe: () => () => undefined,
    flush: () => Promise.resolve(),
  };
}

/** A user's command as an event, or any other event: sequences mix both. */
const step = fc.oneof(
  anyEvent.map((event) => ({ event })),
  fc.constantFrom(...CLIP_COMMANDS).map((command) => ({ command })),
);

function eventOf(
  record: ClipRecord,
  item: { event: LifecycleEvent } | { command: (typeof CLIP_COMMANDS)[number] },
): LifecycleEvent | undefined {
  return 'event' in item ? item.event : commandEvent(item.command, record);
}

const RUNS = { numRuns: 400 };

describe('the lifecycle under random event sequences', () => {
  it('offers exactly the commands main accepts, in every reachable state', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let record = detected();
        for (const item of steps) {
          const event = eventOf(record, item);
          if (event) {
            const next = transition(record, event, NOW);
            if (next.ok) record = next.record;
            else {
              expect(next.code).toBe('upload/not-allowed-now');
              expect(next.sentence.length).toBeGreaterThan(10);
            }
          }
          expect(CLIP_STATES).toContain(record.state);
          const offered = commandsFor(record);
          for (const command of CLIP_COMMANDS) {
            const check = allowed(ledgerOf(record), [record.id], command);
            // Main accepts what is offered, and refuses (with a sentence) what is not.
            expect(check.refusal === undefined).toBe(offered.includes(command));
            if (check.refusal) expect(check.refusal.detail ?? '').not.toBe('');
            const asked = commandEvent(command, record);
            if (asked) expect(transition(record, asked, NOW).ok).toBe(offered.includes(command));
          }
        }
      }),
      RUNS,
    );
  });

  it('never uploads a clip nobody sent and no policy released', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 50 }), (events) => {
        let record = detected();
        let released = false;
        for (const event of events) {
          const next = transition(record, event, NOW);
          if (!next.ok) continue;
          if (event.type === 'send-requested' && event.by !== 'renewal') released = true;
          record = next.record;
          if (['uploading', 'paused', 'processing', 'published'].includes(record.state))
            expect(released).toBe(true);
          if (record.state === 'reserved' && record.sendOnReserve) expect(released).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('never shows fewer acknowledged bytes, across pause, resume, restart and retries', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 50 }), (events) => {
        let record = detected();
        let model: ClipProgress = startProgress(SIZE, 0, 0);
        let shown = 0;
        let clock = 0;
        for (const event of events) {
          const next = transition(record, event, NOW);
          if (!next.ok) continue;
          record = next.record;
          clock += 250;
          const acked = ackedBytes(SIZE, record.upload?.ackedBlocks ?? []);
          const restarted = ['resumed', 'send-requested', 'retry-requested'].includes(event.type);
          model = restarted
            ? progressRestarted(model, acked, clock)
            : progressAcked(model, acked, clock);
          expect(model.ackedBytes).toBeGreaterThanOrEqual(shown);
          expect(model.ackedBytes).toBeLessThanOrEqual(SIZE);
          shown = model.ackedBytes;
        }
      }),
      RUNS,
    );
  });
});
