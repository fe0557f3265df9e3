/**
 * S2: thousands of random payloads per IPC command, sent through registerIpc with the real ledger
 * and fake ports that record what reaches them. Every call must answer with an envelope (0
 * crashes), every payload the contract schema rejects must be refused before any port or the
 * ledger sees it (0 accepted invalid values), and no frame but ours may reach anything at all.
 *
 * Payloads cross a structured clone first, as they do between the renderer and main.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClipRecord, type ClipRecord } from '../../app/clip/clip';
import { USER_VISIBILITIES } from '../../app/gameclips/enums';
import { MAX_CAPTION_UTF16, MAX_INT32 } from '../../app/gameclips/limits';
import { handledCommands, type HandledCommandName } from '../../app/ipc/contract';
import { silentLogger } from '../../main/util/logger';
import { registerIpc } from '../../main/ipc/register-ipc';
import { FileClipLedger } from '../../main/ledger/file-clip-ledger';
import { tempDir } from '../support/clips';
import { SAMPLE_CLIP_ID, SAMPLE_WINDOW_STATE } from '../support/ipc-samples';
import { fakeIpcServices } from '../support/fake-ipc';

/** Runs per command and per sender; 24 commands x 2,000 = 48,000 payloads from our frame. */
const RUNS = Number(process.env.GC_FUZZ_RUNS ?? 2000);

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
const handlers = new Map<string, Handler>();
const fakeIpcMain = {
  handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
} as unknown as IpcMain;
const PAGE = 'file:///opt/gc/resources/app.asar/dist/renderer/index.html';
const ours = { sender: { id: 1 }, senderFrame: { url: PAGE, parent: null } };
const strangers = [
  { sender: { id: 1 }, senderFrame: { url: 'about:srcdoc', parent: {} } },
  { sender: { id: 1 }, senderFrame: { url: PAGE, parent: {} } },
  { sender: { id: 2 }, senderFrame: { url: PAGE, parent: null } },
  { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } },
  { sender: { id: 1 }, senderFrame: null },
];
const isOurs = (event: IpcMainInvokeEvent) => {
  const e = event as unknown as typeof ours;
  return e.sender.id === 1 && e.senderFrame?.parent === null && e.senderFrame.url === PAGE;
};

const CLIP_ID = SAMPLE_CLIP_ID;
const WINDOW_STATE = SAMPLE_WINDOW_STATE;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One well-formed call per command: the seeds mutations start from. */
const seeds: Record<HandledCommandName, unknown[]> = {
  'app:get-status': [],
  'clips:list': [],
  'clips:update-draft': [CLIP_ID, { caption: 'gg', visibility: 'Owner', thumbnailOffsetMs: 10 }],
  'drop:register-files': [['/videos/a.mp4']],
  'clips:add-files': ['folder'],
  'clips:open-link': [CLIP_ID],
  'clips:copy-link': [CLIP_ID],
  'service:storage': [],
  'service:network-share': [],
  'clips:share-page': [CLIP_ID, 'revoke'],
  'service:trim-storage': [{ maxBytes: 1000 }],
  'service:open-gallery': [],
  'clips:remove-from-service': [[CLIP_ID]],
  'clips:force-duplicate': [CLIP_ID],
  'window:save-state': [WINDOW_STATE],
  'window:restore-state': [],
  'window:first-rows': [],
  'clips:send': [[CLIP_ID]],
  'clips:pause': [[CLIP_ID]],
  'clips:resume': [[CLIP_ID]],
  'clips:cancel': [[CLIP_ID]],
  'clips:retry': [[CLIP_ID]],
  'clips:restore': [[CLIP_ID]],
  'clips:locate': [CLIP_ID],
  'clips:remove': [[CLIP_ID]],
  'clips:save-thumbnail': [CLIP_ID, { offsetMs: 1500, large: PNG, small: PNG }],
  'clips:apply-batch': [[CLIP_ID], { captionTemplate: '{file}', visibility: 'Public' }],
  'history:clear': [],
  'settings:get': [],
  'settings:update': [
    {
      sendPolicy: { kind: 'after-delay', minutes: 5 },
      desktop: { closeToTray: false, notifications: { failed: true } },
      service: { kind: 'custom', baseUrl: 'https://example.com', scid: CLIP_ID },
    },
  ],
  'settings:add-folder': [],
  'settings:remove-folder': ['folder-1'],
  'account:set-token': ['XBL3.0 x=1234;abcdefgh'],
  'account:clear-token': [],
  'clips:show-in-folder': [CLIP_ID],
  'clips:playback-problem': [CLIP_ID],
};

/** Values near every boundary the schemas draw, and shapes that have broken parsers before. */
const edgy = fc.constantFrom<unknown>(
  -1,
  0,
  1.5,
  MAX_INT32,
  MAX_INT32 + 1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  '',
  'x'.repeat(MAX_CAPTION_UTF16),
  'x'.repeat(MAX_CAPTION_UTF16 + 1),
  '😀'.repeat(126),
  'a\0b',
  '/etc/passwd',
  '..\\..\\windows\\system32',
  'XBL3.0 x=1;a b',
  CLIP_ID,
  CLIP_ID.toUpperCase(),
  '00000000-0000-0000-0000-000000000000',
  ...USER_VISIBILITIES,
  'None',
  null,
  undefined,
  [],
  {},
  [CLIP_ID],
  new Uint8Array(0),
  PNG,
  Object.create(null),
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { kind: 'after-delay', minutes: 0 },
  { kind: 'custom', baseUrl: 'file:///etc/passwd', scid: CLIP_ID },
  new Date(0),
  new Map([[1, 2]]),
);
const anyValue = fc.oneof(
  { weight: 3, arbitrary: edgy },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 3, withTypedArray: true, withMap: true }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: -10, max: MAX_INT32 + 10 }) },
  { weight: 1, arbitrary: fc.uuid() },
);

/** Replaces the value at a random path inside the seed (or adds a key) with `value`. */
function mutate(seed: unknown, choices: readonly number[], value: unknown, depth = 0): unknown {
  const choice = choices[depth] ?? 0;
  if (
    depth >= choices.length - 1 ||
    seed === null ||
    typeof seed !== 'object' ||
    seed instanceof Uint8Array
  )
    return value;
  if (Array.isArray(seed)) {
    const copy = [...seed];
    const index = choice % (copy.length + 1);
    copy[index] = mutate(copy[index], choices, value, depth + 1);
    return copy;
  }
  const keys = [...Object.keys(seed), 'path', '__proto__', 'extra'];
  const key = keys[choice % keys.length]!;
  return {
    ...seed,
    [key]: mutate((seed as Record<string, unknown>)[key], choices, value, depth + 1),
  };
}

/** An argument list: the handler is always called with a list, as ipcRenderer.invoke does. */
const asArgs = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * Only one past the 8 MB thumbnail limit: a typed array that large where an object is expected
 * makes zod walk millions of index keys, which would measure zod rather than our handlers.
 */
const OVERSIZED_THUMBNAIL = [
  CLIP_ID,
  { offsetMs: 0, large: new Uint8Array(8_000_001), small: PNG },
];

function payloads(channel: HandledCommandName): fc.Arbitrary<unknown[]> {
  const seed = seeds[channel];
  return fc.oneof(
    fc.constant(channel === 'clips:save-thumbnail' ? OVERSIZED_THUMBNAIL : seed),
    fc.array(anyValue, { maxLength: 4 }),
    fc
      .tuple(fc.array(fc.nat(50), { minLength: 1, maxLength: 4 }), anyValue)
      .map(([choices, value]) => asArgs(mutate(seed, choices, value))),
    fc.constant(seed),
    fc
      .tuple(fc.array(fc.nat(50), { minLength: 1, maxLength: 4 }), anyValue, anyValue)
      .map(([choices, a, b]) => asArgs(mutate(mutate(seed, choices, a), choices.slice(1), b))),
  );
}

/** What reached a port or the ledger, and which of it the schema would have refused. */
const reached: Array<{ channel: HandledCommandName; args: unknown[] }> = [];
const violations: string[] = [];
function recordReached(channel: HandledCommandName, args: unknown[]): void {
  reached.push({ channel, args });
  if (!handledCommands[channel].args.safeParse(args).success)
    violations.push(
      `${channel} reached its port with ${String(JSON.stringify(args)).slice(0, 200)}`,
    );
}

let ledger: FileClipLedger;
let ledgerFolder: string;
let cleanup: () => Promise<void>;
const baseRecord: ClipRecord = {
  ...newClipRecord({
    id: CLIP_ID,
    origin: 'watch',
    file: { path: '/v/a.mp4', size: 1, mtimeMs: 1, fingerprint: 'f' },
    probe: { container: 'mp4', durationSeconds: 10, recordedAt: '2026-01-01T00:00:00.000Z' },
    draft: { caption: '', visibility: 'Owner' },
    now: '2026-01-01T00:00:00.000Z',
  }),
  state: 'reserved',
};

beforeAll(async () => {
  // The real file ledger, on tmpfs where there is one: thousands of fsyncs on a shared disk
  // would measure the disk, not the handlers.
  const onTmpfs = existsSync('/dev/shm')
    ? await mkdtemp(path.join('/dev/shm', 'gc-fuzz-'))
    : undefined;
  const temp = onTmpfs
    ? { dir: onTmpfs, cleanup: () => rm(onTmpfs, { recursive: true, force: true }) }
    : await tempDir('gc-fuzz-');
  cleanup = temp.cleanup;
  ledgerFolder = temp.dir;
  ledger = await FileClipLedger.open(temp.dir, silentLogger);
  await ledger.put(baseRecord);
  // The ledger is the port of the draft commands: every record written must hold valid values.
  const put = ledger.put.bind(ledger);
  ledger.put = (record: ClipRecord) => {
    const { caption, visibility, thumbnailOffsetMs } = record.draft;
    if (
      typeof caption !== 'string' ||
      caption.length > MAX_CAPTION_UTF16 ||
      !(USER_VISIBILITIES as readonly string[]).includes(visibility) ||
      (thumbnailOffsetMs !== undefined &&
        (!Number.isInteger(thumbnailOffsetMs) ||
          thumbnailOffsetMs < 0 ||
          thumbnailOffsetMs > MAX_INT32))
    )
      violations.push(`the ledger was given an invalid draft ${JSON.stringify(record.draft)}`);
    reached.push({ channel: 'clips:update-draft', args: [record.id] });
    return put(record);
  };
  registerIpc(
    fakeIpcMain,
    isOurs,
    silentLogger,
    fakeIpcServices({ ledger, clip: () => baseRecord, reached: recordReached }),
  );
});
afterAll(async () => {
  await ledger.flush();
  await cleanup();
});

interface Answer {
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}
function isEnvelope(value: unknown): value is Answer {
  return typeof value === 'object' && value !== null && typeof (value as Answer).ok === 'boolean';
}
/** History clear removes records; keep the one record the other commands act on. */
const restoreRecord = async () => {
  if (!ledger.get(CLIP_ID)) await ledger.put(baseRecord);
};

describe.each(Object.keys(handledCommands) as HandledCommandName[])('%s', (channel) => {
  it(`answers ${RUNS} random payloads from our frame, refusing every invalid one before any port`, async () => {
    const handler = handlers.get(channel)!;
    let valid = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(payloads(channel), async (raw) => {
        let args: unknown[];
        try {
          args = structuredClone(raw); // what the IPC boundary lets through
        } catch {
          return; // the renderer's invoke throws before anything is sent
        }
        const isValid = handledCommands[channel].args.safeParse(args).success;
        const before = reached.length;
        violations.length = 0;
        const answer = await handler(ours as unknown as IpcMainInvokeEvent, ...args);
        expect(isEnvelope(answer)).toBe(true);
        if (!isValid) {
          refused += 1;
          expect((answer as Answer).ok).toBe(false);
          expect((answer as Answer).error?.code).toBe('ipc/invalid-arguments');
          expect(reached.length).toBe(before);
        } else {
          valid += 1;
        }
        // Checked per call so fast-check reports (and shrinks) the payload that got through.
        expect(violations.join('\n')).toBe('');
        await restoreRecord();
      }),
      { numRuns: RUNS },
    );
    expect(violations.join('\n')).toBe('');
    // Both sides of the schema were exercised.
    expect(refused).toBeGreaterThan(RUNS / 10);
    if (seeds[channel].length > 0) expect(valid).toBeGreaterThan(0);
  });

  it('refuses every payload from any other frame without reaching anything', async () => {
    const handler = handlers.get(channel)!;
    await fc.assert(
      fc.asyncProperty(payloads(channel), fc.constantFrom(...strangers), async (raw, stranger) => {
        let args: unknown[];
        try {
          args = structuredClone(raw);
        } catch {
          return;
        }
        const before = reached.length;
        const answer = await handler(stranger as unknown as IpcMainInvokeEvent, ...args);
        expect(answer).toMatchObject({ ok: false, error: { code: 'ipc/forbidden-sender' } });
        expect(reached.length).toBe(before);
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});

it('left the record the commands edited valid on disk', async () => {
  await ledger.flush();
  const reopened = await FileClipLedger.open(ledgerFolder, silentLogger);
  const record = reopened.get(CLIP_ID);
  expect(record).toBeDefined();
  expect(record!.draft.caption.length).toBeLessThanOrEqual(MAX_CAPTION_UTF16);
  expect(USER_VISIBILITIES).toContain(record!.draft.visibility);
  expect(violations.join('\n')).toBe('');
});
