/**
 * Issue 17 item 3: the diagnostics bundle, made by the headless CLI for a data folder (the same
 * code as Help > Export Diagnostics). Unzipped and listed; the token appears nowhere, neither in
 * the zip's bytes nor in any file inside; captions only when asked.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newClipRecord, type ClipState } from '../../../app/clip/clip';
import { defaultSettings } from '../../../app/settings';
import { runCompanionCli } from '../../../main/cli/headless';
import { tempDir } from '../../support/clips';

const TOKEN = 'tok3n-7f9c2e51-do-not-leak-0a8b';
const AUTHORIZATION = `XBL3.0 x=2533274;${TOKEN}`;

let home: { dir: string; cleanup: () => Promise<void> };
let dataDir: string;

async function seed(): Promise<void> {
  dataDir = path.join(home.dir, 'data');
  const videos = path.join(home.dir, 'Videos');
  await mkdir(path.join(dataDir, 'ledger'), { recursive: true });
  await mkdir(path.join(dataDir, 'logs'), { recursive: true });
  await mkdir(videos);
  const settings = defaultSettings(videos);
  await writeFile(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({
      ...settings,
      watchedFolders: [videos, path.join(home.dir, 'Unplugged drive')],
      service: {
        kind: 'custom',
        baseUrl: 'https://gameclips.example.com/v2?key=abc',
        scid: 'd1adc8aa-0a31-4407-90f2-7e9b54b0347c',
      },
      // A token that ended up in settings by mistake must not leave either.
      accessToken: TOKEN,
    }),
  );
  // The token file is never read.
  await writeFile(path.join(dataDir, 'account-token.json'), JSON.stringify({ plain: TOKEN }));
  const states: ClipState[] = ['reserved', 'reserved', 'published', 'failed'];
  for (const [n, state] of states.entries()) {
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const record = {
      ...newClipRecord({
        id,
        origin: 'watch',
        file: { path: `/videos/clip ${n}.mp4`, size: 100, mtimeMs: 1, fingerprint: 'f' },
        probe: { container: 'mp4', durationSeconds: 3, recordedAt: '2026-03-01T12:00:00.000Z' },
        draft: { caption: `Caption number ${n}`, visibility: 'Owner' },
        now: '2026-03-01T12:00:00.000Z',
      }),
      state,
    };
    await writeFile(path.join(dataDir, 'ledger', `${id}.json`), JSON.stringify(record));
  }
  // A log line with the raw token (as if written by something that forgot to redact).
  await writeFile(
    path.join(dataDir, 'logs', 'main.log'),
    `2026-03-01T12:00:00.000Z info  reserve answered {"authorization":"${AUTHORIZATION}"}\n` +
      `2026-03-01T12:00:01.000Z warn  raw token seen ${TOKEN}\n`,
  );
}

async function diagnostics(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCompanionCli(['diagnostics', ...args], {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: { GAMECLIPS_AUTHORIZATION: AUTHORIZATION, LANG: 'en_US.UTF-8' },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeEach(async () => {
  home = await tempDir('gc-diagnostics-');
  await seed();
});
afterEach(async () => {
  await home.cleanup();
});

describe('gameclips-companion diagnostics', () => {
  it('writes one zip with logs, versions, settings, counts, folders and the service origin, and no token', async () => {
    const zip = path.join(home.dir, 'report.zip');
    const result = await diagnostics([zip, '--data', dataDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Diagnostics written to .*report\.zip \(6 files, \d+ bytes\)\.\n$/u,
    );

    const bytes = await readFile(zip);
    const files = unzipSync(new Uint8Array(bytes));
    expect(Object.keys(files).sort()).toEqual([
      'about.json',
      'intake.json',
      'ledger.json',
      'logs/main.log',
      'service.json',
      'settings.json',
    ]);
    const text = (name: string) => strFromU8(files[name]!);

    // Never the token: not in the zip's bytes, not in any file inside it.
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    for (const name of Object.keys(files)) expect(text(name), name).not.toContain(TOKEN);

    expect(JSON.parse(text('ledger.json'))).toEqual({
      clips: 4,
      byState: { reserved: 2, published: 1, failed: 1 },
      errorsByCode: {},
    });
    expect(JSON.parse(text('service.json'))).toEqual({
      kind: 'custom',
      origin: 'https://gameclips.example.com',
    });
    const folders = JSON.parse(text('intake.json')) as Array<{ folder: string; status: string }>;
    expect(folders.map((entry) => entry.status)).toEqual(['readable', 'unreachable']);
    const about = JSON.parse(text('about.json')) as { app: string; os: { platform: string } };
    expect(about.os.platform).toBe(process.platform);
    expect(JSON.parse(text('settings.json')).accessToken).toBe('<removed>');
    expect(text('logs/main.log')).toContain('reserve answered');
    expect(text('logs/main.log')).toContain('XBL3.0 x=<redacted>');
    // No captions unless asked.
    expect(files['captions.json']).toBeUndefined();
    for (const name of Object.keys(files)) expect(text(name)).not.toContain('Caption number');
  });

  it('includes captions only with --captions', async () => {
    const zip = path.join(home.dir, 'with-captions.zip');
    expect((await diagnostics([zip, '--data', dataDir, '--captions'])).code).toBe(0);
    const files = unzipSync(new Uint8Array(await readFile(zip)));
    const captions = JSON.parse(strFromU8(files['captions.json']!)) as Array<{ caption: string }>;
    expect(captions.map((entry) => entry.caption).sort()).toEqual([
      'Caption number 0',
      'Caption number 1',
      'Caption number 2',
      'Caption number 3',
    ]);
  });

  it('says how to use it, and refuses a data folder that is not there', async () => {
    const usage = await diagnostics([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: gameclips-companion diagnostics <out.zip>');
    const missing = await diagnostics([
      path.join(home.dir, 'x.zip'),
      '--data',
      path.join(home.dir, 'nowhere'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no data folder at');
  });

  it('speaks Traditional Chinese under a zh_TW locale', async () => {
    const err: string[] = [];
    const code = await runCompanionCli(['diagnostics'], {
      stdout: () => undefined,
      stderr: (text) => err.push(text),
      env: { LANG: 'zh_TW.UTF-8' },
    });
    expect(code).toBe(2);
    expect(err.join('')).toContain('用法：gameclips-companion diagnostics');
  });
});
