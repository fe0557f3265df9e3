/**
 * Issue 13, items 5-6 (second halves): nothing is published twice because the ledger folder
 * vanished. Three runs of the real CLI against a standalone sandbox: one publishes clip A, one
 * reserves clip B (no upload), then the ledger folder is deleted and a third run uploads
 * everything it finds. Two ways back, each tried: the intent journal beside the ledger folder
 * rebuilds both records (A published, B reserved and then uploaded with its reservation); with
 * the journal gone too, the service is reconciled by the content id (A adopted as published, B's
 * old reservation deleted and B reserved once). Counted on the sandbox either way: one Published
 * clip per file, with its bytes, and no live reservation left.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningSandbox } from '../../main/sandbox/index';
import { listAllClips } from '../sandbox/support';
import { bundleBin, jsonEvents, startBin } from '../support/cli-process';
import { makeClip } from '../support/clips';
import {
  count,
  downloadedSha256,
  getServiceClip,
  openUploadSandbox,
  stats,
  waitFor,
  type SandboxAccount,
} from './upload-support';

let dir: string;
let close: () => Promise<void>;
let sandbox: RunningSandbox;
let account: SandboxAccount;
let companionBin: string;
beforeAll(async () => {
  ({ dir, sandbox, account, close } = await openUploadSandbox('gc-upload-lost-ledger-', {
    ffmpegPath: null,
  }));
  companionBin = await bundleBin('gameclips-companion', dir);
}, 60_000);
afterAll(() => close());

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

it.each([
  ['the intent journal rebuilds it', false],
  ['the journal is gone too: reconciled with the service', true],
])(
  'the ledger folder deleted between runs of the CLI (%s): nothing is published twice',
  async (_name, journalLost) => {
    const round = journalLost ? 'journal-lost' : 'journal-kept';
    const watched = path.join(dir, round, 'Captures');
    const data = path.join(dir, round, 'data');
    await mkdir(watched, { recursive: true });
    const run = (upload: boolean) =>
      startBin(
        companionBin,
        [
          ...['watch', watched, '--json', '--data', data],
          ...(upload ? ['--upload'] : []),
          ...['--service', sandbox.baseUrl, '--scid', account.scid],
        ],
        { GAMECLIPS_AUTHORIZATION: account.authorization },
      );
    const stop = async (cli: ReturnType<typeof run>) => {
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    };
    const drop = async (name: string, seconds: number) => {
      const staging = path.join(dir, `.${name}`);
      await makeClip(staging, { seconds });
      await rename(staging, path.join(watched, name));
      return path.join(watched, name);
    };

    // Run 1 publishes A.
    let cli = run(true);
    await cli.waitForLine((line) => line.includes('"ready"'));
    const a = await drop('a.mp4', 2);
    await cli.waitForLine((line) => line.includes('"clip.published"'));
    await stop(cli);
    // Run 2 only reserves B.
    cli = run(false);
    await cli.waitForLine((line) => line.includes('"ready"'));
    const b = await drop('b.mp4', 3);
    await cli.waitForLine((line) => line.includes('"clip.reserved"'));
    await stop(cli);
    expect((await stats(sandbox.baseUrl)).liveReservations[account.xuid]).toBe(1);

    // The ledger folder is lost; the rest of the data folder is not (or, the second time, neither
    // is its intent journal).
    await rm(path.join(data, 'ledger'), { recursive: true, force: true });
    if (journalLost) await rm(path.join(data, 'ledger-intents.jsonl'), { force: true });
    await fetch(`${sandbox.baseUrl}/sandbox/stats`, { method: 'DELETE' });
    cli = run(true);
    try {
      await cli.waitForLine((line) => line.includes('"ready"'));
      // B is published in this run; A is published already (rebuilt or adopted, never re-sent).
      await waitFor(
        () => jsonEvents(cli).some((e) => e.event === 'clip.published') || undefined,
        90_000,
        () => `B published: ${cli.lines.join('\n')}`,
      );
      // Settled: B's old reservation deleted, nothing live.
      await waitFor(
        async () =>
          ((await stats(sandbox.baseUrl)).liveReservations[account.xuid] ?? 0) === 0 || undefined,
        60_000,
        'no live reservation',
      );
    } finally {
      await stop(cli);
    }
    const s = await stats(sandbox.baseUrl);
    // A was never reserved or sent again; B at most reserved once more, and sent once.
    expect(count(s, 'reserve')).toBe(journalLost ? 1 : 0);
    expect(count(s, 'block')).toBe(1);

    // One Published clip per file, with the file's bytes.
    const published = new Map<string, number>();
    for (const listed of await listAllClips(sandbox.baseUrl, account)) {
      const { clip } = await getServiceClip(sandbox.baseUrl, account, listed.gameClipId);
      if (clip?.state !== 'Published') continue;
      const served = await downloadedSha256(clip);
      published.set(served, (published.get(served) ?? 0) + 1);
    }
    expect(published.get(await sha256(a))).toBe(1);
    expect(published.get(await sha256(b))).toBe(1);
    expect([...published.values()].reduce((sum, n) => sum + n, 0)).toBe(2);
    // The next round starts from an empty account.
    for (const listed of await listAllClips(sandbox.baseUrl, account))
      await fetch(`${sandbox.baseUrl}/users/me/scids/${account.scid}/clips/${listed.gameClipId}`, {
        method: 'DELETE',
        headers: {
          Authorization: account.authorization,
          'X-RequestedServiceVersion': '1',
          'x-xbl-contract-version': '1',
        },
      }).then((response) => expect(response.ok).toBe(true));
  },
  240_000,
);
