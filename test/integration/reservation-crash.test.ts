/**
 * R1 (reservation part): the headless CLI killed with SIGKILL at random moments around the
 * reserve POST, round after round, against a real sandbox whose POSTs are slowed on both sides
 * of the commit so that many kills land mid-call. Afterwards every clip has exactly one live
 * reservation, counted from the service's own list, and the ledger agrees.
 *
 * GC_CRASH_ROUNDS raises the number of kills (the closing figures used 100).
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { correlationIdOf } from '../../app/gameclips/request';
import { bundleBin, startBin } from '../support/cli-process';
import { makeClip, tempDir } from '../support/clips';
import { recordFigure, roundsFromEnv } from '../support/figures';
import { call, openSandbox, type TestSandbox } from '../sandbox/support';

const run = promisify(execFile);
const CLIPS = 8;
const ROUNDS = roundsFromEnv('GC_CRASH_ROUNDS', 12);

let dir: string;
let cleanup: () => Promise<void>;
let companionBin: string;
let sandbox: TestSandbox;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-crash-'));
  companionBin = await bundleBin('gameclips-companion', dir);
  sandbox = await openSandbox();
}, 60_000);
afterAll(async () => {
  await sandbox.close();
  await cleanup();
});

interface LedgerFile {
  readonly id: string;
  readonly state: string;
  readonly reservation?: { readonly gameClipId: string };
}

/** Every record in the ledger folder, parsed; a record that does not parse fails the test. */
async function readLedger(folder: string): Promise<LedgerFile[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const records: LedgerFile[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const text = await readFile(path.join(folder, name), 'utf8');
    records.push(JSON.parse(text) as LedgerFile);
  }
  return records;
}

it(`kill -9 around the reserve POST, ${ROUNDS} times: no clip lost, no duplicate reservation`, async () => {
  const account = await sandbox.account();
  const watched = path.join(dir, 'Captures');
  const data = path.join(dir, 'data');
  await mkdir(watched, { recursive: true });
  // Distinct clips cheaply: one encode, then remuxes that differ in a metadata tag.
  const base = await makeClip(path.join(dir, 'base.mp4'), { seconds: 1 });
  for (let i = 0; i < CLIPS; i++)
    await run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-i', base, '-c', 'copy'],
      ...['-metadata', `comment=clip ${i}`, path.join(watched, `clip-${i}.mp4`)],
    ]);
  // Each POST is held 150 ms before and 150 ms after the service commits it.
  for (const afterCommit of [false, true]) {
    const armed = await call(sandbox.url('/sandbox/faults'), {
      json: { route: 'reserve', delayMs: 150, afterCommit, times: 100_000 },
    });
    expect(armed.status).toBe(201);
  }

  const args = ['watch', watched, '--json', '--data', data];
  const service = ['--service', sandbox.baseUrl, '--scid', account.scid];
  const env = { GAMECLIPS_AUTHORIZATION: account.authorization };
  for (let round = 0; round < ROUNDS; round++) {
    const cli = startBin(companionBin, [...args, ...service], env);
    await cli.waitForLine((line) => line.includes('"event":"ready"'));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 900));
    cli.child.kill('SIGKILL');
    await cli.exited;
    // Every record stays readable after every kill (R6).
    await readLedger(path.join(data, 'ledger'));
  }

  // A last, undisturbed run finishes whatever the kills left half done.
  const cli = startBin(companionBin, [...args, ...service], env);
  await cli.waitForLine((line) => line.includes('"event":"ready"'));
  let records: LedgerFile[] = [];
  for (let wait = 0; wait < 600; wait++) {
    records = await readLedger(path.join(data, 'ledger'));
    if (records.length === CLIPS && records.every((r) => r.state === 'reserved')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  cli.child.kill('SIGTERM');
  await cli.exited;

  expect(records).toHaveLength(CLIPS);
  expect(records.map((r) => r.state)).toEqual(Array(CLIPS).fill('reserved'));
  const listed = await call(sandbox.url(`/users/me/scids/${account.scid}/clips?maxItems=100`), {
    auth: account,
  });
  const live = (listed.body as { gameClips: { gameClipId: string; systemProperties?: string }[] })
    .gameClips;
  expect(live).toHaveLength(CLIPS);
  // The kills did land mid-call: more POSTs reached the service than there are clips, and the
  // reservations they left behind were deleted by reconciliation.
  const stats = (await call(sandbox.url('/sandbox/stats'))).body as {
    requests: Record<string, Record<string, number>>;
  };
  const sum = (counts: Record<string, number> = {}) =>
    Object.values(counts).reduce((a, b) => a + b, 0);
  const reserveCalls = sum(stats.requests.reserve);
  expect(reserveCalls).toBeGreaterThanOrEqual(CLIPS);
  recordFigure('R1 reserve under kill -9', {
    kills: ROUNDS,
    clips: CLIPS,
    reserveCalls,
    orphansDeleted: sum(stats.requests.delete),
    liveReservations: live.length,
    lost: CLIPS - records.filter((r) => r.state === 'reserved').length,
  });
  for (const record of records) {
    const ours = live.filter((clip) => correlationIdOf(clip.systemProperties) === record.id);
    expect(ours.map((clip) => clip.gameClipId)).toEqual([record.reservation?.gameClipId]);
  }
}, 600_000);
