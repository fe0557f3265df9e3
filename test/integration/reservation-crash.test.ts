/**
 * R1 (reservation part): the headless CLI killed with SIGKILL at random moments around the
 * reserve POST, round after round, against a real sandbox whose POSTs are slowed on both sides
 * of the commit so that many kills land mid-call. Afterwards every clip has exactly one live
 * reservation, counted from the service's own list, and the ledger agrees.
 *
 * GC_CRASH_ROUNDS raises the number of kills (the closing figures used 100).
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { correlationIdOf } from '../../app/gameclips/request';
import { bundleBin, startBin } from '../support/cli-process';
import { makeClip, tempDir } from '../support/clips';
import { recordFigure, roundsFromEnv } from '../support/figures';
import { call, listAllClips, openSandbox, type TestSandbox } from '../sandbox/support';

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
  readonly request?: unknown;
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
  // Distinct clips cheaply: one real encode, then copies that each end with a different `free`
  // box (a legal top-level box, so the file still tiles and plays) and so fingerprint apart.
  const base = await readFile(await makeClip(path.join(dir, 'base.mp4'), { seconds: 1 }));
  let made = 0;
  const addClip = async () => {
    const free = Buffer.alloc(64);
    free.writeUInt32BE(64, 0);
    free.write('free', 4, 'latin1');
    free.write(`clip ${made}`, 8, 'latin1');
    const target = path.join(watched, `clip-${made}.mp4`);
    made += 1;
    // Written under a temporary name and renamed, as recorders that remux do.
    await writeFile(`${target}.part`, Buffer.concat([base, free]));
    await rename(`${target}.part`, target);
  };
  for (let i = 0; i < CLIPS; i++) await addClip();
  // Each POST's answer is held 300 ms after the service has committed it: a kill then leaves a
  // reservation the CLI never heard of, which the next run must find and remove.
  const armed = await call(sandbox.url('/sandbox/faults'), {
    json: { route: 'reserve', delayMs: 300, afterCommit: true, times: 100_000 },
  });
  expect(armed.status).toBe(201);

  const args = ['watch', watched, '--json', '--data', data];
  const service = ['--service', sandbox.baseUrl, '--scid', account.scid];
  const env = { GAMECLIPS_AUTHORIZATION: account.authorization };
  for (let round = 0; round < ROUNDS; round++) {
    // A new clip each round, so every kill can land around a POST, not only the first few.
    await addClip();
    const cli = startBin(companionBin, [...args, ...service], env);
    await cli.waitForLine((line) => line.includes('"event":"ready"'));
    // Aim at the call: wait until the intent is on disk (written just before the POST), then
    // kill anywhere in the next 400 ms: before the commit, while the answer is held, or after.
    for (let wait = 0; wait < 500; wait++) {
      const ledger = await readLedger(path.join(data, 'ledger'));
      if (ledger.some((r) => r.state === 'reserving' && r.request !== undefined)) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 400));
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
    if (records.length === made && records.every((r) => r.state === 'reserved')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  cli.child.kill('SIGTERM');
  await cli.exited;

  expect(records).toHaveLength(made);
  expect(records.map((r) => r.state)).toEqual(Array(made).fill('reserved'));
  const live = await listAllClips(sandbox.baseUrl, account);
  expect(live).toHaveLength(made);
  // The kills did land mid-call: more POSTs reached the service than there are clips, and the
  // reservations they left behind were deleted by reconciliation.
  const stats = (await call(sandbox.url('/sandbox/stats'))).body as {
    requests: Record<string, Record<string, number>>;
  };
  const sum = (counts: Record<string, number> = {}) =>
    Object.values(counts).reduce((a, b) => a + b, 0);
  const reserveCalls = sum(stats.requests.reserve);
  expect(reserveCalls).toBeGreaterThanOrEqual(made);
  recordFigure('R1 reserve under kill -9', {
    kills: ROUNDS,
    clips: made,
    reserveCalls,
    orphansDeleted: sum(stats.requests.delete),
    liveReservations: live.length,
    lost: made - records.filter((r) => r.state === 'reserved').length,
  });
  for (const record of records) {
    const ours = live.filter((clip) => correlationIdOf(clip.systemProperties) === record.id);
    expect(ours.map((clip) => clip.gameClipId)).toEqual([record.reservation?.gameClipId]);
  }
}, 600_000);
