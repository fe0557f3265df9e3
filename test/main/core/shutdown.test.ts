import { describe, expect, it } from 'vitest';
import { shutdown } from '../../../main/core/shutdown';
import type { Logger } from '../../../main/util/logger';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('shutdown', () => {
  it('awaits each part in order, the next starting only when the one before has finished', async () => {
    const events: string[] = [];
    const part = (name: string) => ({
      name,
      stop: async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`${name} end`);
      },
    });
    const steps = await shutdown(
      [part('tray'), part('pipeline'), part('ledger')],
      recordingLogger(),
    );
    expect(events).toEqual([
      'tray start',
      'tray end',
      'pipeline start',
      'pipeline end',
      'ledger start',
      'ledger end',
    ]);
    expect(steps.map((step) => step.outcome)).toEqual(['stopped', 'stopped', 'stopped']);
  });

  it('a part that throws or hangs is logged and the parts after it still stop', async () => {
    const logger = recordingLogger();
    let ledgerClosed = false;
    const steps = await shutdown(
      [
        {
          name: 'notifier',
          stop: () => {
            throw new Error('boom');
          },
        },
        { name: 'login item', stop: () => new Promise(() => undefined), boundMs: 20 },
        { name: 'ledger', stop: () => void (ledgerClosed = true) },
      ],
      logger,
    );
    expect(steps.map((step) => [step.name, step.outcome])).toEqual([
      ['notifier', 'failed'],
      ['login item', 'overran'],
      ['ledger', 'stopped'],
    ]);
    expect(ledgerClosed).toBe(true);
    expect(logger.lines.some((line) => line.includes('notifier') && line.includes('boom'))).toBe(
      true,
    );
    expect(logger.lines.some((line) => line.includes('login item'))).toBe(true);
  });
});
