/**
 * The headless pipeline end to end, as a user runs it: `gameclips-companion watch --json` with
 * the embedded sandbox, and against a standalone `gameclips-sandbox` by URL. Real clips written
 * by ffmpeg into real temporary folders; exactly one reservation per clip.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBin, jsonEvents, startBin } from '../support/cli-process';
import { makeClip, tempDir } from '../support/clips';

let dir: string;
let cleanup: () => Promise<void>;
let companionBin: string;
let sandboxBin: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-cli-'));
  [companionBin, sandboxBin] = await Promise.all([
    bundleBin('gameclips-companion', dir),
    bundleBin('gameclips-sandbox', dir),
  ]);
}, 60_000);
afterAll(() => cleanup());

async function listOnSandbox(
  baseUrl: string,
  authorization: string,
  scid: string,
): Promise<Array<{ gameClipId: string; systemProperties?: string }>> {
  const response = await fetch(`${baseUrl}/users/me/scids/${scid}/clips?maxItems=100`, {
    headers: {
      Authorization: authorization,
      'x-xbl-contract-version': '1',
      Accept: 'application/json',
    },
  });
  expect(response.status).toBe(200);
  return (
    (await response.json()) as {
      gameClips: Array<{ gameClipId: string; systemProperties?: string }>;
    }
  ).gameClips;
}

describe('gameclips-companion watch --json on the embedded sandbox', () => {
  it('reserves a clip written by ffmpeg exactly once, rejects bad files with reasons, and stops cleanly', async () => {
    const watched = path.join(dir, 'embedded', 'Captures');
    const data = path.join(dir, 'embedded', 'data');
    await mkdir(watched, { recursive: true });
    // Recorded while the app was closed: found by the start-up reconcile scan.
    await makeClip(path.join(watched, 'before-start.mp4'), { seconds: 2 });

    const cli = startBin(companionBin, ['watch', watched, '--json', '--data', data]);
    const ready = JSON.parse(await cli.waitForLine((line) => line.includes('"event":"ready"'))) as {
      baseUrl: string;
      ts: string;
    };
    expect(Date.parse(ready.ts)).not.toBeNaN();

    await makeClip(path.join(watched, 'while-watching.mp4'), { seconds: 3 });
    await mkdir(path.join(watched, 'new-subfolder'));
    await makeClip(path.join(watched, 'new-subfolder', 'nested.mkv'), { seconds: 2 });
    await writeFile(path.join(watched, 'empty.mp4'), '');
    await writeFile(path.join(watched, 'readme.mov'), 'not a video at all\n'.repeat(50));
    await writeFile(path.join(watched, 'notes.txt'), 'ignored: not a clip type');

    for (const name of ['before-start.mp4', 'while-watching.mp4', 'nested.mkv'])
      await cli.waitForLine((line) => line.includes('"clip.reserved"') && line.includes(name));
    await cli.waitForLine((line) => line.includes('"clip.rejected"') && line.includes('empty.mp4'));
    await cli.waitForLine(
      (line) => line.includes('"clip.rejected"') && line.includes('readme.mov'),
    );

    // A rename inside the root is the same clip, not a second reservation.
    await rename(path.join(watched, 'while-watching.mp4'), path.join(watched, 'renamed.mp4'));
    await cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);

    const events = jsonEvents(cli);
    const reserved = events.filter((event) => event.event === 'clip.reserved');
    expect(reserved.map((event) => path.basename(String(event.path))).sort()).toEqual([
      'before-start.mp4',
      'nested.mkv',
      'while-watching.mp4',
    ]);
    expect(new Set(reserved.map((event) => event.gameClipId)).size).toBe(3);
    const rejected = Object.fromEntries(
      events
        .filter((event) => event.event === 'clip.rejected')
        .map((event) => [path.basename(String(event.path)), event.reason]),
    );
    expect(rejected).toEqual({ 'empty.mp4': 'empty', 'readme.mov': 'not-a-video' });
    expect(events.every((event) => typeof event.ts === 'string')).toBe(true);
    expect(events.at(-1)?.event).toBe('stopped');

    // The ledger on disk, and one reservation per clip on the service.
    const account = JSON.parse(await readFile(path.join(data, 'sandbox-account.json'), 'utf8')) as {
      account: { authorization: string; scid: string };
    };
    const restarted = startBin(companionBin, ['watch', watched, '--json', '--data', data]);
    const again = JSON.parse(
      await restarted.waitForLine((line) => line.includes('"event":"ready"')),
    ) as { baseUrl: string };
    const clips = await listOnSandbox(
      again.baseUrl,
      account.account.authorization,
      account.account.scid,
    );
    expect(clips).toHaveLength(3);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    // Nothing was reserved twice across the restart, and the renamed clip was not taken as new.
    expect(
      jsonEvents(restarted).filter(
        (event) => event.event === 'clip.reserved' || event.event === 'clip.detected',
      ),
    ).toEqual([]);
  }, 90_000);
});

describe('gameclips-sandbox and a service URL', () => {
  it('prints its address, provisions an account, and takes reservations from the CLI by URL', async () => {
    const sandbox = startBin(sandboxBin, [
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data',
      path.join(dir, 'standalone-sandbox'),
    ]);
    const line = await sandbox.waitForLine((text) =>
      text.startsWith('GameClips sandbox listening on'),
    );
    const baseUrl = line.match(/http:\/\/127\.0\.0\.1:\d+/u)?.[0] as string;
    expect(baseUrl).toBeDefined();
    const created = await fetch(`${baseUrl}/sandbox/accounts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(created.status).toBe(201);
    const account = (await created.json()) as { authorization: string; scid: string };
    expect(account.authorization).toMatch(/^XBL3\.0 x=[^;]+;.+/u);

    const watched = path.join(dir, 'by-url');
    await mkdir(watched, { recursive: true });
    const cli = startBin(
      companionBin,
      [
        'watch',
        watched,
        '--json',
        '--data',
        path.join(dir, 'by-url-data'),
        '--service',
        baseUrl,
        '--scid',
        account.scid,
      ],
      { GAMECLIPS_AUTHORIZATION: account.authorization },
    );
    await cli.waitForLine((text) => text.includes('"event":"ready"'));
    await makeClip(path.join(watched, 'by-url.mp4'), { seconds: 2 });
    const reservedLine = JSON.parse(
      await cli.waitForLine((text) => text.includes('"clip.reserved"')),
    ) as { gameClipId: string };
    const clips = await listOnSandbox(baseUrl, account.authorization, account.scid);
    expect(clips.map((clip) => clip.gameClipId)).toEqual([reservedLine.gameClipId]);
    cli.child.kill('SIGINT');
    sandbox.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(await sandbox.exited).toBe(0);
  }, 60_000);

  it('refuses bad arguments with a sentence and exit code 2', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['watch'], {}, /at least one folder/u],
      [['watch', dir, '--service', 'https://example.invalid'], {}, /--scid is required/u],
      [
        [
          'watch',
          dir,
          '--service',
          'https://example.invalid',
          '--scid',
          'd1adc8aa-0a31-4407-90f2-7e9b54b0347c',
        ],
        { GAMECLIPS_AUTHORIZATION: '' },
        /GAMECLIPS_AUTHORIZATION/u,
      ],
      [['watch', path.join(dir, 'no-such-folder')], {}, /is not a folder/u],
      [['upload'], {}, /Unknown command/u],
    ];
    for (const [args, env, message] of cases) {
      const cli = startBin(companionBin, args, env);
      expect(await cli.exited, args.join(' ')).toBe(2);
      expect(cli.stderr.join('\n')).toMatch(message);
    }
  });
});
