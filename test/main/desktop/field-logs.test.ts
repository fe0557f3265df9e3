/**
 * Issue 17 item 1: the app's log file. Written to the logs folder, rotated by size (electron-log's
 * file transport), Authorization values redacted, and what main would otherwise lose (uncaught
 * exceptions, unhandled rejections) logged.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, LOG_FILE_NAME, logUncaught } from '../../../main/util/logger';
import { tempDir } from '../../support/clips';

let home: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  home = await tempDir('gc-logs-');
});
afterEach(async () => {
  await home.cleanup();
});

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLXZhbHVl.sig';

describe('the log file', () => {
  it('is written in the logs folder, one redacted line per entry', async () => {
    const logger = createFileLogger({ dir: home.dir });
    logger.info('reserve answered', { authorization: `XBL3.0 x=1234;${TOKEN}`, id: 'clip-1' });
    logger.debug('not at info level');
    logger.error('upload failed', { code: 'network' });
    expect(logger.file).toBe(path.join(home.dir, LOG_FILE_NAME));
    const text = await readFile(logger.file, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT.* info {2}reserve answered /u);
    expect(lines[0]).toContain('XBL3.0 x=<redacted>');
    expect(lines[0]).toContain('clip-1');
    expect(lines[1]).toContain('error upload failed {"code":"network"}');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('not at info level');
  });

  it('rotates by size: the full file becomes main.old.log and a new one starts', async () => {
    const logger = createFileLogger({ dir: home.dir, maxBytes: 4096 });
    for (let i = 0; i < 200; i++) logger.info(`line ${i} ${'x'.repeat(40)}`);
    const names = (await readdir(home.dir)).sort();
    expect(names).toEqual(['main.log', 'main.old.log']);
    const current = await readFile(path.join(home.dir, 'main.log'), 'utf8');
    const old = await readFile(path.join(home.dir, 'main.old.log'), 'utf8');
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(4096 + 100);
    expect(current).toContain('line 199 ');
    expect(old).not.toContain('line 199 ');
    expect(old.length).toBeGreaterThan(0);
  });

  it('keeps stderr too when asked (development, the CLI)', async () => {
    const seen: string[] = [];
    const logger = createFileLogger({
      dir: home.dir,
      stderr: true,
      write: (line) => seen.push(line),
    });
    logger.warn('watch failed', { header: `XBL3.0 x=9;${TOKEN}` });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain('warn  watch failed');
    expect(seen[0]).not.toContain(TOKEN);
    expect(existsSync(logger.file)).toBe(true);
  });
});

describe('uncaught errors in main', () => {
  it('logs uncaught exceptions and unhandled rejections until removed', async () => {
    const logger = createFileLogger({ dir: home.dir });
    const target = new EventEmitter();
    const stop = logUncaught(logger, target as unknown as NodeJS.Process);
    target.emit('uncaughtException', new Error('boom in a timer'));
    target.emit('unhandledRejection', new Error('nobody awaited this'));
    stop();
    expect(target.listenerCount('uncaughtException')).toBe(0);
    const text = await readFile(logger.file, 'utf8');
    expect(text).toMatch(/error uncaught exception .*boom in a timer/u);
    expect(text).toMatch(/error unhandled rejection .*nobody awaited this/u);
  });
});
