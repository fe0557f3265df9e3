/**
 * Issue 17 item 2: a crashed or killed renderer is reloaded once and the user told; a second
 * loss within a minute is a crash loop: no reload, a dialog. The unclean-exit marker says once
 * that the last run did not end cleanly. (The built app's wiring: test/e2e/desktop.spec.ts.)
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/util/logger';
import {
  CRASH_LOOP_MS,
  guardRenderer,
  logChildProcesses,
  markRunning,
  RUNNING_MARKER,
} from '../../../main/desktop/crash-guard';
import { tempDir } from '../../support/clips';

class FakeContents extends EventEmitter {
  reloads = 0;
  reload() {
    this.reloads += 1;
  }
  isDestroyed() {
    return false;
  }
}

function guarded() {
  const contents = new FakeContents();
  let now = 1_000_000;
  const told: string[] = [];
  const gaveUp: string[] = [];
  const stop = guardRenderer(contents as never, {
    logger: silentLogger,
    now: () => now,
    reloaded: (details) => told.push(details.reason),
    gaveUp: (details) => gaveUp.push(details.reason),
  });
  const gone = (reason: string) =>
    contents.emit('render-process-gone', {}, { reason, exitCode: 139 });
  return { contents, told, gaveUp, stop, gone, advance: (ms: number) => (now += ms) };
}

describe('a renderer that dies', () => {
  it('is reloaded once and the user told', () => {
    const window = guarded();
    window.gone('killed');
    expect(window.contents.reloads).toBe(1);
    expect(window.told).toEqual(['killed']);
    expect(window.gaveUp).toEqual([]);
  });

  it('a second loss within a minute stops the reloads with a dialog', () => {
    const window = guarded();
    window.gone('crashed');
    window.advance(CRASH_LOOP_MS - 1);
    window.gone('crashed');
    expect(window.contents.reloads).toBe(1);
    expect(window.gaveUp).toEqual(['crashed']);
    // And stays stopped.
    window.advance(10 * CRASH_LOOP_MS);
    window.gone('crashed');
    expect(window.contents.reloads).toBe(1);
    expect(window.gaveUp).toHaveLength(1);
  });

  it('losses far apart are each reloaded; a clean exit is not a crash', () => {
    const window = guarded();
    window.gone('oom');
    window.advance(CRASH_LOOP_MS + 1);
    window.gone('killed');
    window.gone('clean-exit');
    expect(window.contents.reloads).toBe(2);
    expect(window.gaveUp).toEqual([]);
    window.stop();
    window.gone('crashed');
    expect(window.contents.reloads).toBe(2);
  });

  it('helper processes that die are logged', () => {
    const app = new EventEmitter();
    const lines: string[] = [];
    logChildProcesses(app as never, {
      ...silentLogger,
      warn: (message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`),
    });
    app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 1 });
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'clean-exit', exitCode: 0 });
    expect(lines).toEqual(['child process gone {"type":"GPU","reason":"crashed","exitCode":1}']);
  });
});

describe('the unclean-exit marker', () => {
  let home: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    home = await tempDir('gc-marker-');
  });
  afterEach(async () => {
    await home.cleanup();
  });

  it('says once that the previous run did not quit cleanly', async () => {
    const first = await markRunning(home.dir);
    expect(first.previousRunUnclean).toBe(false);
    expect(existsSync(path.join(home.dir, RUNNING_MARKER))).toBe(true);
    // Killed: no clear(). The next start knows.
    const second = await markRunning(home.dir);
    expect(second.previousRunUnclean).toBe(true);
    await second.clear();
    expect(existsSync(path.join(home.dir, RUNNING_MARKER))).toBe(false);
    // After a clean quit, the next start says nothing.
    expect((await markRunning(home.dir)).previousRunUnclean).toBe(false);
  });
});
