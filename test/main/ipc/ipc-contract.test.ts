/**
 * The contract test (architecture.md 2.5): every command has a handler, every handler refuses a
 * frame that is not our window and a malformed payload, and answers with an envelope.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClipRecord, rejectedClipRecord } from '../../../app/clip/clip';
import { errorView } from '../../../app/errors';
import { handledCommands, type HandledCommandName } from '../../../app/ipc/contract';
import { silentLogger } from '../../../main/util/logger';
import { registerIpc } from '../../../main/ipc/register-ipc';
import { FileClipLedger } from '../../../main/ledger/file-clip-ledger';
import { tempDir } from '../../support/clips';
import { SAMPLE_CLIP_ID, SAMPLE_WINDOW_STATE } from '../../support/ipc-samples';
import { fakeIpcServices } from '../../support/fake-ipc';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
const handlers = new Map<string, Handler>();
const fakeIpcMain = {
  handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
} as unknown as IpcMain;
const trusted = {
  sender: { id: 1 },
  senderFrame: { url: 'file:///app/index.html', parent: null },
} as unknown as IpcMainInvokeEvent;
const CLIP_ID = SAMPLE_CLIP_ID;
const WINDOW_STATE = SAMPLE_WINDOW_STATE;
/** A refused clip, the kind "Remove from list" takes (issue 15, item 1). */
const REFUSED_ID = '00000000-0000-4000-8000-0000000000ac';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One well-formed and several malformed argument lists per command. */
const samples: Record<HandledCommandName, { valid: unknown[]; invalid: unknown[][] }> = {
  'app:get-status': { valid: [], invalid: [[1], ['x', 'y']] },
  'clips:list': { valid: [], invalid: [[{}], [null]] },
  'clips:update-draft': {
    valid: [CLIP_ID, { caption: 'gg' }],
    invalid: [
      [],
      ['not-a-uuid', { caption: 'x' }],
      [CLIP_ID, {}],
      [CLIP_ID, { caption: 'x'.repeat(251) }],
      [CLIP_ID, { visibility: 'None' }],
      [CLIP_ID, { caption: 'x', path: '/etc/passwd' }],
      [CLIP_ID, 'caption'],
      [CLIP_ID, { thumbnailOffsetMs: -1 }],
      [CLIP_ID, { thumbnailOffsetMs: 2 ** 31 }],
      [CLIP_ID, { thumbnailOffsetMs: 1.5 }],
    ],
  },
  // Sent by the preload alone (no page verb), with paths it resolved from dropped File objects.
  'drop:register-files': {
    valid: [['/videos/a.mp4', '/videos/folder']],
    invalid: [
      [],
      [[]],
      ['/videos/a.mp4'],
      [['a\0b']],
      [['x'.repeat(5000)]],
      [[1]],
      [['videos/a.mp4']],
      [['../etc/passwd']],
    ],
  },
  'clips:add-files': {
    valid: ['files'],
    invalid: [[], ['/etc'], [['/videos/a.mp4']], ['files', 'x']],
  },
  'clips:open-link': {
    valid: [CLIP_ID],
    invalid: [[], ['https://evil.example/'], [[CLIP_ID]], ['nope']],
  },
  'clips:remove-from-service': {
    valid: [[CLIP_ID]],
    invalid: [[], [CLIP_ID], [[]], [['nope']]],
  },
  'service:open-gallery': { valid: [], invalid: [[1], ['https://evil.example/']] },
  'service:storage': { valid: [], invalid: [[1]] },
  'service:network-share': { valid: [], invalid: [[1], [true], ['192.0.2.2']] },
  'clips:share-page': {
    valid: [CLIP_ID, 'revoke'],
    invalid: [[], [CLIP_ID], [CLIP_ID, 'delete'], ['nope', 'create']],
  },
  'service:trim-storage': {
    valid: [{ maxBytes: 1000 }],
    invalid: [[], [{}], [{ maxBytes: -1 }], [{ maxBytes: 1, olderThanDays: 1 }], [{ path: '/' }]],
  },
  'clips:copy-link': {
    valid: [CLIP_ID],
    invalid: [[], ['https://evil.example/'], [[CLIP_ID]], ['nope']],
  },
  'clips:playback-problem': {
    valid: [CLIP_ID],
    invalid: [[], ['nope'], [[CLIP_ID]], ['gameclips-media://clip/x']],
  },
  'clips:force-duplicate': { valid: [CLIP_ID], invalid: [[], ['nope'], [[CLIP_ID]]] },
  'window:save-state': {
    valid: [WINDOW_STATE],
    invalid: [
      [],
      [{ ...WINDOW_STATE, screen: 'admin' }],
      [{ ...WINDOW_STATE, openClipId: '../etc/passwd' }],
      [{ ...WINDOW_STATE, extra: true }],
      [{ ...WINDOW_STATE, scroll: { history: { clipId: CLIP_ID, offsetPx: -1 } } }],
      [{ ...WINDOW_STATE, queries: { pending: {}, history: {} } }],
    ],
  },
  'window:restore-state': { valid: [], invalid: [[1]] },
  'window:first-rows': { valid: [], invalid: [[1], [{ tab: 'history' }]] },
  'clips:send': { valid: [[CLIP_ID]], invalid: [[], [CLIP_ID], [[]], [['nope']]] },
  'clips:pause': { valid: [[CLIP_ID]], invalid: [[], [CLIP_ID], [[]]] },
  'clips:resume': { valid: [[CLIP_ID]], invalid: [[], [CLIP_ID], [[]]] },
  'clips:cancel': { valid: [[CLIP_ID]], invalid: [[], [CLIP_ID], [[]]] },
  'clips:retry': { valid: [[CLIP_ID]], invalid: [[], [CLIP_ID], [[]]] },
  'clips:restore': { valid: [[CLIP_ID]], invalid: [[], [CLIP_ID], [[]], [['nope']]] },
  'clips:locate': {
    valid: [CLIP_ID],
    invalid: [[], ['nope'], [[CLIP_ID]], [CLIP_ID, '/etc/passwd']],
  },
  'clips:remove': { valid: [[CLIP_ID]], invalid: [[], [CLIP_ID], [[]], [['nope']]] },
  'clips:save-thumbnail': {
    valid: [CLIP_ID, { offsetMs: 1500, large: PNG, small: PNG }],
    invalid: [
      [CLIP_ID],
      [CLIP_ID, { offsetMs: 1500, large: PNG }],
      [CLIP_ID, { offsetMs: -1, large: PNG, small: PNG }],
      [CLIP_ID, { offsetMs: 0, large: 'iVBOR', small: PNG }],
      [CLIP_ID, { offsetMs: 0, large: new Uint8Array(0), small: PNG }],
      [CLIP_ID, { offsetMs: 0, large: PNG, small: PNG, path: '/etc/passwd' }],
    ],
  },
  'clips:apply-batch': {
    valid: [[CLIP_ID], { captionTemplate: '{file} on {date}' }],
    invalid: [
      [[CLIP_ID], {}],
      [[], { visibility: 'Owner' }],
      [[CLIP_ID], { visibility: 'Bad' }],
    ],
  },
  'history:clear': { valid: [], invalid: [[1]] },
  'settings:get': { valid: [], invalid: [['x']] },
  'settings:update': {
    valid: [{ sendPolicy: { kind: 'after-delay', minutes: 5 } }],
    invalid: [
      [{}],
      [{ watchedFolders: ['/etc'] }],
      [{ sendPolicy: { kind: 'after-delay', minutes: 0 } }],
      [{ service: { kind: 'custom', baseUrl: 'file:///etc/passwd', scid: CLIP_ID } }],
      [{ uploads: { parallelBlocks: 0 } }],
      [{ language: 'fr' }],
    ],
  },
  'settings:add-folder': { valid: [], invalid: [['/etc']] },
  'settings:remove-folder': { valid: ['folder-1'], invalid: [[], [''], [3]] },
  'account:set-token': {
    valid: ['XBL3.0 x=1234;abcdefgh'],
    invalid: [[], ['token'], ['XBL3.0 x=1;a b'], [42]],
  },
  'account:clear-token': { valid: [], invalid: [['x']] },
  'clips:show-in-folder': {
    valid: [CLIP_ID],
    invalid: [[], ['/etc/passwd'], [[CLIP_ID]], ['nope']],
  },
};

let cleanup: () => Promise<void>;
beforeAll(async () => {
  const temp = await tempDir('gc-ipc-');
  cleanup = temp.cleanup;
  const ledger = await FileClipLedger.open(temp.dir, silentLogger);
  await ledger.put(
    newClipRecord({
      id: CLIP_ID,
      origin: 'watch',
      file: { path: '/v/a.mp4', size: 1, mtimeMs: 1, fingerprint: 'f' },
      probe: { container: 'mp4', durationSeconds: 1, recordedAt: '2026-01-01T00:00:00.000Z' },
      draft: { caption: '', visibility: 'Owner' },
      now: '2026-01-01T00:00:00.000Z',
    }),
  );
  await ledger.put(
    rejectedClipRecord({
      id: REFUSED_ID,
      origin: 'watch',
      file: { path: '/v/b.mp4', size: 0, mtimeMs: 1, fingerprint: '' },
      error: errorView('intake/empty'),
      draft: { caption: '', visibility: 'Owner' },
      now: '2026-01-01T00:00:00.000Z',
    }),
  );
  registerIpc(
    fakeIpcMain,
    (event) => event === trusted,
    silentLogger,
    fakeIpcServices({ ledger, clip: () => ledger.get(CLIP_ID)! }),
  );
});
afterAll(() => cleanup());

describe.each(Object.keys(handledCommands) as HandledCommandName[])('%s', (channel) => {
  it('has a handler that answers a well-formed call with ok', async () => {
    const handler = handlers.get(channel);
    expect(handler).toBeDefined();
    expect(await handler?.(trusted, ...samples[channel].valid)).toMatchObject({ ok: true });
  });
  it('refuses a call from any other frame', async () => {
    const stranger = {
      sender: { id: 2 },
      senderFrame: { url: 'https://evil.example/', parent: null },
    } as unknown as IpcMainInvokeEvent;
    expect(await handlers.get(channel)?.(stranger, ...samples[channel].valid)).toMatchObject({
      ok: false,
      error: { code: 'ipc/forbidden-sender' },
    });
  });
  it('refuses every malformed payload with a reason', async () => {
    for (const args of samples[channel].invalid) {
      const answer = (await handlers.get(channel)?.(trusted, ...args)) as {
        ok: boolean;
        error?: { code: string; message: string };
      };
      expect(answer.ok, JSON.stringify(args)).toBe(false);
      expect(answer.error?.code).toBe('ipc/invalid-arguments');
      expect(answer.error?.message.length).toBeGreaterThan(10);
    }
  });
});

it('answers an unknown clip with its own code', async () => {
  expect(
    await handlers.get('clips:update-draft')?.(trusted, '00000000-0000-4000-8000-0000000000bb', {
      caption: 'x',
    }),
  ).toMatchObject({ ok: false, error: { code: 'ipc/unknown-clip' } });
});
