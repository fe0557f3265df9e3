/**
 * The ledger's promise: every record readable after `kill -9` at any instant, stray temporary
 * files swept at start-up, the last write wins.
 */
import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClipRecord, draftEdited, type ClipRecord } from '../../../app/clip/clip';
import { silentLogger } from '../../../main/util/logger';
import { FileClipLedger } from '../../../main/ledger/file-clip-ledger';
import { recordFigure, roundsFromEnv } from '../../support/figures';
import { tempDir } from '../../support/clips';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-ledger-'));
});
afterAll(() => cleanup());

function record(id: string, caption = ''): ClipRecord {
  return newClipRecord({
    id,
    origin: 'watch',
    file: { path: `/v/${id}.mp4`, size: 10, mtimeMs: 1, fingerprint: 'f' },
    probe: { container: 'mp4', durationSeconds: 3, recordedAt: '2026-01-01T00:00:00.000Z' },
    draft: { caption, visibility: 'Owner' },
    now: '2026-01-01T00:00:00.000Z',
  });
}

describe('FileClipLedger', () => {
  it('keeps the last of many concurrent writes to one record, and reads it back', async () => {
    const folder = path.join(dir, 'concurrent');
    const ledger = await FileClipLedger.open(folder, silentLogger);
    const id = '00000000-0000-4000-8000-000000000001';
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        ledger.put(draftEdited(record(id), { caption: `v${i}` }, 'now')),
      ),
    );
    const reopened = await FileClipLedger.open(folder, silentLogger);
    expect(reopened.get(id)?.draft.caption).toBe('v49');
  });

  it('sweeps temporary files a crash left, and ignores foreign files', async () => {
    const folder = path.join(dir, 'sweep');
    const ledger = await FileClipLedger.open(folder, silentLogger);
    await ledger.put(record('00000000-0000-4000-8000-000000000002'));
    await writeFile(
      path.join(folder, '00000000-0000-4000-8000-000000000002.json.abcdef.tmp'),
      '{"half":',
    );
    await writeFile(path.join(folder, 'notes.txt'), 'mine');
    const reopened = await FileClipLedger.open(folder, silentLogger);
    expect(reopened.all()).toHaveLength(1);
    expect((await readdir(folder)).sort()).toEqual([
      '00000000-0000-4000-8000-000000000002.json',
      'notes.txt',
    ]);
  });

  it('leaves every record readable across repeated kill -9 during writes (R6)', async () => {
    const folder = path.join(dir, 'kill');
    const script = path.join(dir, 'writer.cjs');
    // The writer is the real ledger code, bundled, hammering 20 records until it is killed.
    await build({
      stdin: {
        contents: `
          const { FileClipLedger } = require(${JSON.stringify(path.resolve(__dirname, '../../../main/ledger/file-clip-ledger.ts'))});
          const { silentLogger } = require(${JSON.stringify(path.resolve(__dirname, '../../../main/util/logger.ts'))});
          (async () => {
            const ledger = await FileClipLedger.open(process.argv[2], silentLogger);
            for (let n = 0; ; n++) {
              const id = '00000000-0000-4000-8000-' + String(n % 20).padStart(12, '0');
              await ledger.put({ schemaVersion: 1, id, origin: 'watch', file: { path: '/v/' + n, size: n, mtimeMs: n, fingerprint: 'x'.repeat(n % 3000) }, state: 'reserved', draft: { caption: 'c' + n, visibility: 'Owner' }, reserveAttempts: 1, createdAt: 'a', updatedAt: 'b' });
              // Ready once one record is on disk: a kill before that (a slow fsync on a loaded
              // machine) would leave nothing to read back and prove nothing.
              if (n === 0) process.stdout.write('ready\\n');
            }
          })();`,
        resolveDir: __dirname,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: script,
      logLevel: 'silent',
    });
    const kills = roundsFromEnv('GC_LEDGER_KILLS', 25);
    let records = 0;
    for (let round = 0; round < kills; round++) {
      const child = spawn(process.execPath, [script, folder], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 40));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const reopened = await FileClipLedger.open(folder, {
        ...silentLogger,
        error: (message) => {
          throw new Error(message);
        },
      });
      expect(reopened.all().length).toBeGreaterThan(0);
      for (const entry of reopened.all()) expect(entry.draft.caption).toBe(`c${entry.file.size}`);
      records += reopened.all().length;
    }
    // Reaching here means every reopen read every record: an unreadable one throws above.
    recordFigure('R6 ledger kill -9', { kills, recordsReadBack: records, unreadable: 0 });
  });
});
