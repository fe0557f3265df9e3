/**
 * A clip's life as one pure table: `transition(record, event, now)` is the only code that assigns
 * a record's `state` (architecture.md section 8, "one owner per rule").
 *
 * Every part that changes a clip (intake, reservation, upload, the IPC handlers, the CLI) says
 * what happened as an event; this function answers the next record, or a refusal with an error
 * code and a sentence a person understands. What the user may do now (`commandsFor` in
 * ./commands.ts) is derived from the same table, so the window never offers what main refuses.
 */
import { errorView, type AppErrorCode, type ErrorView } from '../errors';
import type { InitialUploadRequest, InitialUploadResponse } from '../gameclips/wire';
import type { SentMetadata } from '../upload/metadata';
import type {
  CLIP_RECORD_SCHEMA_VERSION,
  ClipDraft,
  ClipOrigin,
  ClipProbe,
  ClipRecord,
  ClipState,
  FileIdentity,
  ServiceLinks,
  UploadProgress,
} from './clip';

/** Who released a clip for upload: nothing uploads without one of these (issue 12, item 5). */
export type SendReason = 'user' | 'policy' | 'renewal';

/** Service states after which nothing more happens to a committed clip, short of Published. */
export const SERVICE_FAILURE_STATES = [
  'Error',
  'Banned',
  'Flagged',
  'Deleted',
  'PendingDelete',
] as const;

export type LifecycleEvent =
  /** The reserve POST is about to be sent: the intent is persisted first. */
  | { readonly type: 'reserve-sent'; readonly request: InitialUploadRequest }
  | {
      readonly type: 'reserve-succeeded';
      readonly response: InitialUploadResponse;
      readonly where: { readonly serviceUrl: string; readonly scid: string };
    }
  /** 429/503 or never sent: try again at `retryAt`. */
  | {
      readonly type: 'reserve-failed';
      readonly outcome: 'deferred';
      readonly error: ErrorView;
      readonly retryAt: string;
    }
  /** The call may have applied: stay `reserving` with the intent, reconcile before retrying. */
  | { readonly type: 'reserve-failed'; readonly outcome: 'ambiguous'; readonly error: ErrorView }
  | {
      readonly type: 'reserve-failed';
      readonly outcome: 'stopped';
      readonly state: 'blocked' | 'rejected';
      readonly error: ErrorView;
    }
  | { readonly type: 'send-requested'; readonly by: SendReason; readonly expectedBlocks: number }
  | { readonly type: 'paused' }
  | { readonly type: 'resumed'; readonly expectedBlocks: number }
  | { readonly type: 'cancelled' }
  | {
      readonly type: 'blocks-acked';
      readonly acked: Iterable<number>;
      readonly committed: boolean;
    }
  /** Every block acked but no commit: the service lost blocks; the next run sends them all. */
  | { readonly type: 'acks-forgotten' }
  /** An upload problem the app retries by itself: the state stays, the reason is shown. */
  | { readonly type: 'upload-retrying'; readonly error: ErrorView; readonly retryAt: string }
  | {
      readonly type: 'upload-stopped';
      readonly state: 'failed' | 'blocked';
      readonly error: ErrorView;
    }
  /** Blocks committed (201), thumbnails and metadata done: the service processes it. */
  | { readonly type: 'committed'; readonly serviceState: string }
  | { readonly type: 'thumbnails-settled'; readonly outcome: 'sent' | 'unavailable' }
  | { readonly type: 'metadata-accepted'; readonly sent: SentMetadata }
  /** A GET of the clip answered this state (links once Published). */
  | {
      readonly type: 'service-state-seen';
      readonly serviceState: string;
      readonly links?: ServiceLinks;
      readonly detail?: string;
    }
  /** The service no longer has the committed clip (404 while following it). */
  | { readonly type: 'service-lost'; readonly detail?: string }
  /**
   * The file is not what was reserved. With an identity of the same content (touched, copied
   * over itself) only the times change; otherwise the reservation is dropped and the clip is
   * reserved afresh once the file settles (or, while reserving without a request, it settled).
   */
  | {
      readonly type: 'file-changed';
      readonly identity?: FileIdentity;
      readonly probe?: ClipProbe;
    }
  | { readonly type: 'file-gone' }
  /** A missing clip's file is there again (found, or located by the user) with the same content. */
  | { readonly type: 'file-back'; readonly identity: FileIdentity }
  /** 410 on a block: the reservation expired; reserved once more at most. */
  | { readonly type: 'expired'; readonly detail?: string }
  | { readonly type: 'retry-requested'; readonly expectedBlocks: number }
  /** Undo a cancel: the reservation was deleted, so the clip is reserved again. */
  | { readonly type: 'restored' }
  | { readonly type: 'draft-edited'; readonly patch: Partial<ClipDraft> };

export type LifecycleEventType = LifecycleEvent['type'];

export type TransitionResult =
  | { readonly ok: true; readonly record: ClipRecord }
  | { readonly ok: false; readonly code: AppErrorCode; readonly sentence: string };

/** How each state reads in a sentence: "... while the clip is <phrase>." */
const STATE_PHRASES: Record<ClipState, string> = {
  reserving: 'still being reserved',
  'waiting-retry': 'waiting to be reserved',
  reserved: 'waiting for you to send it',
  uploading: 'uploading',
  paused: 'paused',
  processing: 'being processed by GameClips',
  published: 'published',
  blocked: 'stopped until you act',
  rejected: 'refused',
  failed: 'failed',
  missing: 'missing its file',
  cancelled: 'cancelled',
  incomplete: 'unfinished',
};

/** What the event means to a person, for refusals. */
const EVENT_PHRASES: Record<LifecycleEventType, string> = {
  'reserve-sent': 'It cannot be reserved',
  'reserve-succeeded': 'It cannot take a reservation',
  'reserve-failed': 'It cannot record a failed reservation',
  'send-requested': 'It cannot be sent',
  paused: 'It cannot be paused',
  resumed: 'It cannot be resumed',
  cancelled: 'It cannot be cancelled',
  'blocks-acked': 'It cannot record uploaded blocks',
  'acks-forgotten': 'It cannot restart its upload',
  'upload-retrying': 'It cannot retry its upload',
  'upload-stopped': 'Its upload cannot stop',
  committed: 'It cannot be committed',
  'thumbnails-settled': 'It cannot take thumbnails',
  'metadata-accepted': 'It cannot take new details',
  'service-state-seen': 'It cannot follow the service',
  'service-lost': 'It cannot follow the service',
  'file-changed': 'It cannot take a changed file',
  'file-gone': 'It cannot be marked missing',
  'file-back': 'It cannot take its file back',
  expired: 'It cannot renew its reservation',
  'retry-requested': 'It cannot be tried again',
  restored: 'It cannot be restored',
  'draft-edited': 'It can no longer be edited',
};

function refuse(record: ClipRecord, event: LifecycleEvent, why?: string): TransitionResult {
  const code: AppErrorCode = 'upload/not-allowed-now';
  return {
    ok: false,
    code,
    sentence: `${EVENT_PHRASES[event.type]} while the clip is ${STATE_PHRASES[record.state]}${
      why ? ` (${why})` : ''
    }.`,
  };
}

function accept(record: ClipRecord): TransitionResult {
  return { ok: true, record };
}

/** States in which the file still matters (nothing committed yet). */
const FILE_MATTERS: readonly ClipState[] = [
  'reserving',
  'waiting-retry',
  'reserved',
  'uploading',
  'paused',
  'blocked',
  'failed',
];

/** States a user may edit caption and visibility in (processing/published: sent as an update). */
export const EDITABLE_STATES: readonly ClipState[] = [
  'reserving',
  'waiting-retry',
  'reserved',
  'uploading',
  'paused',
  'processing',
  'blocked',
  'published',
];

function hasLiveReservation(record: ClipRecord): boolean {
  return record.reservation !== undefined && record.upload?.committed !== true;
}

/** The user already said Send for this clip (uploading, paused, or stopped during its upload). */
export function wasSent(record: ClipRecord): boolean {
  return (
    record.sendOnReserve === true ||
    record.upload !== undefined ||
    record.state === 'uploading' ||
    record.state === 'paused'
  );
}

function without<K extends keyof ClipRecord>(
  record: ClipRecord,
  ...keys: readonly K[]
): Omit<ClipRecord, K> {
  const copy: Record<string, unknown> = { ...record };
  for (const key of keys) delete copy[key];
  return copy as Omit<ClipRecord, K>;
}

function moveTo(
  record: Omit<ClipRecord, 'state' | 'updatedAt'>,
  state: ClipState,
  now: string,
): ClipRecord {
  return { ...record, state, updatedAt: now } as ClipRecord;
}

function startedUpload(record: ClipRecord, expectedBlocks: number): UploadProgress {
  return record.upload ?? { expectedBlocks, ackedBlocks: [], committed: false };
}

/** Back to `reserving` with no request or reservation: the reservation service reserves afresh. */
function renewing(
  record: ClipRecord,
  now: string,
  changes: {
    readonly renewals: number;
    readonly sendOnReserve: boolean;
    readonly error?: ErrorView;
    readonly file?: FileIdentity;
    readonly probe?: ClipProbe;
  },
): ClipRecord {
  const rest = without(
    record,
    'request',
    'reservation',
    'upload',
    'retryAt',
    'metadataSent',
    'thumbnails',
    'sendOnReserve',
    'error',
  );
  return moveTo(
    {
      ...rest,
      renewals: changes.renewals,
      ...(changes.sendOnReserve ? { sendOnReserve: true } : {}),
      ...(changes.error ? { error: changes.error } : {}),
      ...(changes.file ? { file: changes.file } : {}),
      ...(changes.probe ? { probe: changes.probe } : {}),
    },
    'reserving',
    now,
  );
}

/**
 * The next record for an event, or a refusal. Pure: the caller persists the answer.
 * Events that only add facts (acks, thumbnails, metadata) keep the state.
 */
export function transition(
  record: ClipRecord,
  event: LifecycleEvent,
  now: string,
): TransitionResult {
  const state = record.state;
  switch (event.type) {
    case 'reserve-sent': {
      if (state !== 'reserving' && state !== 'waiting-retry' && state !== 'blocked')
        return refuse(record, event);
      if (record.reservation) return refuse(record, event, 'it already has a reservation');
      const rest = without(record, 'error', 'retryAt');
      return accept(
        moveTo(
          { ...rest, request: event.request, reserveAttempts: record.reserveAttempts + 1 },
          'reserving',
          now,
        ),
      );
    }
    case 'reserve-succeeded': {
      if (state !== 'reserving') return refuse(record, event);
      const { response, where } = event;
      const uploadId = response.uploadId ?? response.uploadID;
      return accept(
        moveTo(
          {
            ...without(record, 'error', 'retryAt'),
            reservation: {
              gameClipId: response.gameClipId,
              uploadUri: response.uploadUri,
              ...(response.largeThumbnailUri
                ? { largeThumbnailUri: response.largeThumbnailUri }
                : {}),
              ...(response.smallThumbnailUri
                ? { smallThumbnailUri: response.smallThumbnailUri }
                : {}),
              ...(uploadId ? { uploadId } : {}),
              serviceUrl: where.serviceUrl,
              scid: where.scid,
              reservedAt: now,
            },
          },
          'reserved',
          now,
        ),
      );
    }
    case 'reserve-failed': {
      if (state !== 'reserving' && state !== 'waiting-retry' && state !== 'blocked')
        return refuse(record, event);
      if (event.outcome === 'deferred')
        return accept(
          moveTo({ ...record, error: event.error, retryAt: event.retryAt }, 'waiting-retry', now),
        );
      if (event.outcome === 'ambiguous')
        return accept(moveTo({ ...record, error: event.error }, 'reserving', now));
      return accept(
        moveTo({ ...without(record, 'retryAt'), error: event.error }, event.state, now),
      );
    }
    case 'send-requested': {
      if (state !== 'reserved' || !record.reservation)
        return refuse(record, event, record.reservation ? undefined : 'it has no reservation yet');
      if (event.by === 'renewal' && record.sendOnReserve !== true)
        return refuse(record, event, 'nobody sent it');
      return accept(uploading(record, event.expectedBlocks, now));
    }
    case 'paused': {
      if (state !== 'uploading') return refuse(record, event);
      return accept(moveTo(without(record, 'retryAt'), 'paused', now));
    }
    case 'resumed': {
      if (state !== 'paused' || !hasLiveReservation(record)) return refuse(record, event);
      return accept(uploading(record, event.expectedBlocks, now));
    }
    case 'cancelled': {
      if (!hasLiveReservation(record))
        return refuse(
          record,
          event,
          record.upload?.committed ? 'it is already uploaded' : 'there is no reservation yet',
        );
      if (!['reserved', 'uploading', 'paused', 'failed', 'blocked', 'missing'].includes(state))
        return refuse(record, event);
      return accept(moveTo(without(record, 'retryAt', 'error'), 'cancelled', now));
    }
    case 'blocks-acked': {
      // Acks belong to an upload the user started; a clip never sent has none to take them.
      const upload = record.upload;
      if (!upload) return refuse(record, event, 'it was never sent');
      const all = [...new Set([...upload.ackedBlocks, ...event.acked])].sort((a, b) => a - b);
      return accept({
        ...record,
        upload: { ...upload, ackedBlocks: all, committed: upload.committed || event.committed },
        updatedAt: now,
      });
    }
    case 'acks-forgotten': {
      if (!record.upload) return accept(record);
      return accept({ ...record, upload: { ...record.upload, ackedBlocks: [] }, updatedAt: now });
    }
    case 'upload-retrying':
      return accept({ ...record, error: event.error, retryAt: event.retryAt, updatedAt: now });
    case 'upload-stopped': {
      if (state !== 'uploading' && state !== 'paused' && state !== 'processing')
        return refuse(record, event);
      return accept(
        moveTo({ ...without(record, 'retryAt'), error: event.error }, event.state, now),
      );
    }
    case 'committed': {
      if (!['uploading', 'processing', 'failed', 'blocked', 'missing'].includes(state))
        return refuse(record, event);
      // Only blocks that were sent can be committed: never a clip nobody sent.
      if (!record.upload) return refuse(record, event, 'it was never sent');
      return accept(processing(record, event.serviceState, now));
    }
    case 'thumbnails-settled':
      return accept({ ...record, thumbnails: event.outcome, updatedAt: now });
    case 'metadata-accepted':
      return accept({ ...record, metadataSent: event.sent, updatedAt: now });
    case 'service-state-seen': {
      if (state !== 'processing') return refuse(record, event);
      const upload = record.upload ?? { expectedBlocks: 0, ackedBlocks: [], committed: true };
      if (event.serviceState === 'Published')
        return accept(
          moveTo(
            {
              ...without(record, 'error', 'retryAt'),
              upload: { ...upload, committed: true, serviceState: 'Published' },
              ...(event.links ? { links: event.links } : {}),
            },
            'published',
            now,
          ),
        );
      if ((SERVICE_FAILURE_STATES as readonly string[]).includes(event.serviceState))
        return accept(
          moveTo(
            {
              ...without(record, 'retryAt'),
              upload: { ...upload, serviceState: event.serviceState },
              error: errorView(
                'gameclips/processing-failed',
                event.detail ?? `The service says the clip is ${event.serviceState}.`,
              ),
            },
            'failed',
            now,
          ),
        );
      return accept(processing(record, event.serviceState, now));
    }
    case 'service-lost': {
      if (state !== 'processing') return refuse(record, event);
      return accept(
        moveTo(
          {
            ...without(record, 'retryAt'),
            error: errorView(
              'gameclips/processing-failed',
              event.detail ?? 'The service lost the clip.',
            ),
          },
          'failed',
          now,
        ),
      );
    }
    case 'file-changed': {
      if (!FILE_MATTERS.includes(state) && state !== 'missing') return refuse(record, event);
      // Reserving afresh after a change: the file settled, with its new size, times and probe.
      if (state === 'reserving' && !record.request && event.identity)
        return accept({
          ...without(record, 'error'),
          file: event.identity,
          ...(event.probe ? { probe: event.probe } : {}),
          updatedAt: now,
        });
      if (
        event.identity &&
        event.identity.fingerprint === record.file.fingerprint &&
        event.identity.size === record.file.size
      )
        return accept({ ...record, file: event.identity, updatedAt: now });
      return accept(
        renewing(record, now, {
          renewals: record.renewals ?? 0,
          sendOnReserve: wasSent(record),
          error: errorView('upload/file-changed'),
          ...(event.identity ? { file: event.identity } : {}),
          ...(event.probe ? { probe: event.probe } : {}),
        }),
      );
    }
    case 'file-gone': {
      if (!FILE_MATTERS.includes(state) && state !== 'missing' && state !== 'incomplete')
        return refuse(record, event);
      if (state === 'failed' && record.upload?.committed) return refuse(record, event);
      return accept(
        moveTo(
          { ...without(record, 'retryAt'), error: errorView('intake/missing') },
          'missing',
          now,
        ),
      );
    }
    case 'file-back': {
      if (state !== 'missing') return refuse(record, event);
      if (
        event.identity.fingerprint !== record.file.fingerprint ||
        event.identity.size !== record.file.size
      )
        return refuse(record, event, 'the file has other content');
      const rest = { ...without(record, 'error', 'retryAt'), file: event.identity };
      if (!record.reservation) return accept(moveTo(rest, 'reserving', now));
      if (record.upload?.committed) return accept(processing(record, 'Uploaded', now));
      return accept(moveTo(rest, record.upload ? 'paused' : 'reserved', now));
    }
    case 'expired': {
      if (state !== 'uploading' && state !== 'paused') return refuse(record, event);
      if ((record.renewals ?? 0) >= 1)
        return accept(
          moveTo(
            { ...without(record, 'retryAt'), error: errorView('gameclips/expired', event.detail) },
            'failed',
            now,
          ),
        );
      return accept(
        renewing(record, now, {
          renewals: (record.renewals ?? 0) + 1,
          sendOnReserve: true,
          error: errorView('gameclips/expired'),
        }),
      );
    }
    case 'retry-requested': {
      if (!record.reservation) {
        if (state !== 'blocked' && state !== 'waiting-retry') return refuse(record, event);
        return accept({ ...without(record, 'retryAt'), updatedAt: now });
      }
      if (!['failed', 'missing', 'blocked', 'uploading'].includes(state))
        return refuse(record, event);
      if (state === 'uploading' && record.error === undefined)
        return refuse(record, event, 'it is uploading without a problem');
      // Only a clip the user sent goes back to uploading: retry never releases one by itself.
      if (!record.upload) return refuse(record, event, 'it was never sent');
      if (record.upload?.committed) {
        // Refused by the service after processing: nothing to redo with this reservation.
        if (state === 'failed' && record.upload.serviceState !== undefined)
          return refuse(record, event, 'GameClips refused it after processing');
        return accept(processing(record, record.upload.serviceState ?? 'Uploaded', now));
      }
      return accept(uploading(record, event.expectedBlocks, now));
    }
    case 'restored': {
      if (state !== 'cancelled') return refuse(record, event);
      return accept(
        renewing(record, now, { renewals: record.renewals ?? 0, sendOnReserve: false }),
      );
    }
    case 'draft-edited': {
      if (!EDITABLE_STATES.includes(state)) return refuse(record, event);
      return accept({
        ...record,
        draft: { ...record.draft, ...event.patch },
        updatedAt: now,
        draftEditedAt: now,
      });
    }
  }
}

function uploading(record: ClipRecord, expectedBlocks: number, now: string): ClipRecord {
  return moveTo(
    {
      ...without(record, 'error', 'retryAt', 'sendOnReserve'),
      upload: startedUpload(record, expectedBlocks),
    },
    'uploading',
    now,
  );
}

function processing(record: ClipRecord, serviceState: string, now: string): ClipRecord {
  const upload = record.upload ?? { expectedBlocks: 0, ackedBlocks: [], committed: true };
  return moveTo(
    {
      ...without(record, 'error', 'retryAt'),
      upload: { ...upload, committed: true, serviceState },
    },
    'processing',
    now,
  );
}

/** Applies an event the caller knows is allowed; a refusal here is a bug, not a user error. */
export function mustTransition(record: ClipRecord, event: LifecycleEvent, now: string): ClipRecord {
  const result = transition(record, event, now);
  if (!result.ok) throw new Error(`Lifecycle: ${result.sentence} [${event.type}]`);
  return result.record;
}

interface NewRecordInputs {
  readonly id: string;
  readonly origin: ClipOrigin;
  readonly file: FileIdentity;
  readonly draft: ClipDraft;
  readonly now: string;
}

/**
 * A clip's first record: `detected` (passed the gate and the probe: reserve it), or `refused` at
 * intake (kept with its reason so the file is never retried) or `incomplete`.
 */
export function firstRecord(
  input: NewRecordInputs,
  event:
    | { readonly type: 'detected'; readonly probe: ClipProbe }
    | {
        readonly type: 'refused';
        readonly error: ErrorView;
        readonly probe?: ClipProbe;
        readonly incomplete?: boolean;
      },
): ClipRecord {
  const base = {
    // The literal, not the constant: this module imports only types from ./clip (no cycle).
    schemaVersion: 1 as typeof CLIP_RECORD_SCHEMA_VERSION,
    id: input.id,
    origin: input.origin,
    file: input.file,
    draft: input.draft,
    reserveAttempts: 0,
    createdAt: input.now,
    updatedAt: input.now,
  };
  if (event.type === 'detected') return { ...base, state: 'reserving', probe: event.probe };
  return {
    ...base,
    state: event.incomplete ? 'incomplete' : 'rejected',
    ...(event.probe ? { probe: event.probe } : {}),
    error: event.error,
  };
}
