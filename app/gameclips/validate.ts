/**
 * Validation of the request bodies, shared by the client (checked before sending, so a bad clip
 * is refused locally with a reason) and the sandbox (which answers 400 with the same sentence).
 * Rules: spec 3.1, 3.3 and section 6; aliases A7/A11, limits A23, strict mode per section 6.
 */
import {
  GAME_CLIP_SOURCES,
  GAME_CLIP_VISIBILITIES,
  THUMBNAIL_SOURCES,
  matchEnum,
  parseClipTypes,
  type GameClipSource,
  type GameClipVisibility,
  type ThumbnailSource,
} from './enums';
import {
  MAX_CAPTION_UTF16,
  MAX_EXPECTED_BLOCKS,
  MAX_INT32,
  MAX_TITLE_DATA_BYTES,
  MAX_UINT32,
  SERVICE_MAX_BLOCK_BYTES,
} from './limits';
import type { InitialUploadRequest, UpdateMetadataRequest } from './wire';

/** One thing wrong with a body: the member and a sentence a person understands. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

export interface ValidationOptions {
  /** Strict mode rejects unknown members and members that are ignored in lenient mode. */
  readonly strict?: boolean;
  /** The largest block the service accepts, for the `expectedBlocks` lower bound. */
  readonly maxBlockBytes?: number;
}

const RESERVE_MEMBERS = new Set([
  'greatestMomentId',
  'clipNameStringId',
  'userCaption',
  'sessionRef',
  'dateRecorded',
  'durationInSeconds',
  'expectedBlocks',
  'fileSize',
  'type',
  'source',
  'visibility',
  'titleData',
  'systemProperties',
  'usersInSession',
  'thumbnailSource',
  'thumbnailOffsetMillseconds',
  'savedByUser',
]);
const UPDATE_MEMBERS = new Set(['userCaption', 'visibility', 'titleData']);

/** UTF-8 byte length without TextEncoder allocation per call site concerns; app/ has no Buffer. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Caption length as the service counts it: UTF-16 code units, which is what `String#length` is. */
export function captionLength(caption: string): number {
  return caption.length;
}

/**
 * Cuts a caption to the limit (UTF-16 units) without splitting a surrogate pair, and where the
 * runtime can tell, without splitting a grapheme either (an emoji sequence, a letter and its
 * combining marks): a cut never leaves half a character behind.
 */
export function truncateCaption(caption: string, limit = MAX_CAPTION_UTF16): string {
  if (caption.length <= limit) return caption;
  if (typeof Intl.Segmenter === 'function') {
    let end = 0;
    for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
      caption,
    )) {
      if (end + segment.length > limit) break;
      end += segment.length;
    }
    return caption.slice(0, end);
  }
  let end = limit;
  const last = caption.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return caption.slice(0, end);
}

function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_UINT32;
}

/** ISO 8601 date-time, with or without fractional seconds, with `Z` or an offset, or none (3). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/;

export function isIsoDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    ISO_DATE_TIME.test(value) &&
    !Number.isNaN(
      Date.parse(value.endsWith('Z') || /[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`),
    )
  );
}

function checkCaption(value: unknown, problems: FieldProblem[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string')
    problems.push({ field: 'userCaption', message: 'userCaption must be a string.' });
  else if (captionLength(value) > MAX_CAPTION_UTF16)
    problems.push({
      field: 'userCaption',
      message: `userCaption is ${captionLength(value)} characters long; the limit is ${MAX_CAPTION_UTF16}.`,
    });
}

function checkTitleData(value: unknown, problems: FieldProblem[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string')
    problems.push({ field: 'titleData', message: 'titleData must be a string.' });
  else if (utf8ByteLength(value) > MAX_TITLE_DATA_BYTES)
    problems.push({
      field: 'titleData',
      message: `titleData is ${utf8ByteLength(value)} bytes; the limit is ${MAX_TITLE_DATA_BYTES} bytes.`,
    });
}

function checkVisibility(
  value: unknown,
  problems: FieldProblem[],
  required: boolean,
): GameClipVisibility | undefined {
  if (value === undefined) {
    if (required) problems.push({ field: 'visibility', message: 'visibility is required.' });
    return undefined;
  }
  const visibility =
    typeof value === 'string' ? matchEnum(GAME_CLIP_VISIBILITIES, value) : undefined;
  if (visibility === undefined)
    problems.push({
      field: 'visibility',
      message: `visibility must be one of Default, Owner, Title, Public.`,
    });
  else if (visibility === 'None')
    problems.push({ field: 'visibility', message: 'visibility None is not valid for a clip.' });
  return visibility;
}

function checkUnknownMembers(
  body: Record<string, unknown>,
  known: Set<string>,
  problems: FieldProblem[],
): void {
  for (const key of Object.keys(body))
    if (!known.has(key))
      problems.push({ field: key, message: `${key} is not a member of this request.` });
}

/** Validates and normalizes an InitialUploadRequest (3.1 plus section 6, reserve step 3). */
export function validateInitialUploadRequest(
  body: unknown,
  options: ValidationOptions = {},
): Validation<InitialUploadRequest> {
  const problems: FieldProblem[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: [{ field: '', message: 'The body must be a JSON object.' }] };
  }
  const raw = body as Record<string, unknown>;
  const maxBlock = options.maxBlockBytes ?? SERVICE_MAX_BLOCK_BYTES;
  if (options.strict) checkUnknownMembers(raw, RESERVE_MEMBERS, problems);

  // A11: greatestMomentId and clipNameStringId are one member under two names.
  let greatestMomentId = '';
  const gm = raw.greatestMomentId;
  const alias = raw.clipNameStringId;
  if (gm !== undefined && typeof gm !== 'string')
    problems.push({ field: 'greatestMomentId', message: 'greatestMomentId must be a string.' });
  if (alias !== undefined && typeof alias !== 'string')
    problems.push({ field: 'clipNameStringId', message: 'clipNameStringId must be a string.' });
  if (typeof gm === 'string' && typeof alias === 'string' && gm !== alias)
    problems.push({
      field: 'greatestMomentId',
      message: 'greatestMomentId and clipNameStringId were both sent with different values.',
    });
  if (typeof gm === 'string') greatestMomentId = gm;
  else if (typeof alias === 'string') greatestMomentId = alias;

  checkCaption(raw.userCaption, problems);
  if (raw.sessionRef !== undefined && typeof raw.sessionRef !== 'string')
    problems.push({ field: 'sessionRef', message: 'sessionRef must be a string.' });

  if (!isIsoDateTime(raw.dateRecorded))
    problems.push({
      field: 'dateRecorded',
      message: 'dateRecorded must be an ISO 8601 date and time.',
    });

  const duration = raw.durationInSeconds;
  if (!isUint32(duration))
    problems.push({
      field: 'durationInSeconds',
      message: 'durationInSeconds must be a whole number from 0 to 4,294,967,295.',
    });
  else if (duration === 0)
    problems.push({
      field: 'durationInSeconds',
      message: 'durationInSeconds must be greater than 0.',
    });

  const fileSize = raw.fileSize;
  if (!isUint32(fileSize))
    problems.push({
      field: 'fileSize',
      message: 'fileSize must be a whole number of bytes from 1 to 4,294,967,295.',
    });
  else if (fileSize === 0)
    problems.push({ field: 'fileSize', message: 'fileSize must be greater than 0.' });

  const expectedBlocks = raw.expectedBlocks;
  if (expectedBlocks !== undefined) {
    if (!isUint32(expectedBlocks) || expectedBlocks < 1 || expectedBlocks > MAX_EXPECTED_BLOCKS)
      problems.push({
        field: 'expectedBlocks',
        message: `expectedBlocks must be a whole number from 1 to ${MAX_EXPECTED_BLOCKS}.`,
      });
    else if (isUint32(fileSize) && expectedBlocks < Math.ceil(fileSize / maxBlock))
      problems.push({
        field: 'expectedBlocks',
        message: `expectedBlocks is ${expectedBlocks}, but ${fileSize} bytes need at least ${Math.ceil(fileSize / maxBlock)} blocks of at most ${maxBlock} bytes.`,
      });
  }

  let type = '';
  if (typeof raw.type !== 'string')
    problems.push({
      field: 'type',
      message: 'type is required: comma-delimited GameClipTypes such as "UserGenerated".',
    });
  else {
    const parsed = parseClipTypes(raw.type);
    if (!parsed.ok)
      problems.push({
        field: 'type',
        message: `type has unknown values: ${parsed.unknown.join(', ')}.`,
      });
    else if (parsed.flags.length === 0 || parsed.flags.includes('None'))
      problems.push({ field: 'type', message: 'type None is not valid for upload.' });
    else type = parsed.normalized;
  }

  let source: GameClipSource | undefined;
  if (
    typeof raw.source !== 'string' ||
    (source = matchEnum(GAME_CLIP_SOURCES, raw.source)) === undefined
  )
    problems.push({
      field: 'source',
      message: 'source must be one of Console, TitleDirect, Intermediate, UserInitiated.',
    });
  else if (source === 'None')
    problems.push({ field: 'source', message: 'source None is not valid for upload.' });

  const visibility = checkVisibility(raw.visibility, problems, true);
  checkTitleData(raw.titleData, problems);
  if (raw.systemProperties !== undefined && typeof raw.systemProperties !== 'string')
    problems.push({ field: 'systemProperties', message: 'systemProperties must be a string.' });
  if (
    raw.usersInSession !== undefined &&
    (!Array.isArray(raw.usersInSession) ||
      !raw.usersInSession.every((x) => typeof x === 'string' && /^\d{1,20}$/.test(x)))
  )
    problems.push({
      field: 'usersInSession',
      message: 'usersInSession must be a list of XUID strings.',
    });

  let thumbnailSource: ThumbnailSource = 'Default';
  if (raw.thumbnailSource !== undefined) {
    const matched =
      typeof raw.thumbnailSource === 'string'
        ? matchEnum(THUMBNAIL_SOURCES, raw.thumbnailSource)
        : undefined;
    if (matched === undefined)
      problems.push({
        field: 'thumbnailSource',
        message: 'thumbnailSource must be one of Default, Offset, Upload.',
      });
    else thumbnailSource = matched;
  }
  const offset = raw.thumbnailOffsetMillseconds;
  if (thumbnailSource === 'Offset') {
    if (offset === undefined)
      problems.push({
        field: 'thumbnailOffsetMillseconds',
        message: 'thumbnailOffsetMillseconds is required when thumbnailSource is Offset.',
      });
    else if (
      typeof offset !== 'number' ||
      !Number.isInteger(offset) ||
      offset < 0 ||
      offset > MAX_INT32
    )
      problems.push({
        field: 'thumbnailOffsetMillseconds',
        message: 'thumbnailOffsetMillseconds must be a whole number of milliseconds from 0.',
      });
    else if (isUint32(duration) && offset > duration * 1000)
      problems.push({
        field: 'thumbnailOffsetMillseconds',
        message: `thumbnailOffsetMillseconds ${offset} is past the end of the ${duration}-second clip.`,
      });
  } else if (offset !== undefined && options.strict) {
    problems.push({
      field: 'thumbnailOffsetMillseconds',
      message: 'thumbnailOffsetMillseconds is only allowed when thumbnailSource is Offset.',
    });
  }

  if (raw.savedByUser !== undefined && typeof raw.savedByUser !== 'boolean')
    problems.push({ field: 'savedByUser', message: 'savedByUser must be true or false.' });

  if (problems.length > 0 || source === undefined || visibility === undefined)
    return { ok: false, problems };
  const value: InitialUploadRequest = {
    greatestMomentId,
    ...(typeof raw.userCaption === 'string' ? { userCaption: raw.userCaption } : {}),
    ...(typeof raw.sessionRef === 'string' ? { sessionRef: raw.sessionRef } : {}),
    dateRecorded: raw.dateRecorded as string,
    durationInSeconds: duration as number,
    ...(expectedBlocks !== undefined ? { expectedBlocks: expectedBlocks as number } : {}),
    fileSize: fileSize as number,
    type,
    source,
    visibility,
    ...(typeof raw.titleData === 'string' ? { titleData: raw.titleData } : {}),
    ...(typeof raw.systemProperties === 'string' ? { systemProperties: raw.systemProperties } : {}),
    ...(Array.isArray(raw.usersInSession)
      ? { usersInSession: raw.usersInSession as string[] }
      : {}),
    thumbnailSource,
    ...(thumbnailSource === 'Offset' ? { thumbnailOffsetMillseconds: offset as number } : {}),
    savedByUser: raw.savedByUser === true,
  };
  return { ok: true, value };
}

/** Validates an UpdateMetadataRequest (3.3): all or nothing, so every problem is reported. */
export function validateUpdateMetadataRequest(
  body: unknown,
  options: ValidationOptions = {},
): Validation<UpdateMetadataRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: [{ field: '', message: 'The body must be a JSON object.' }] };
  }
  const raw = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  if (options.strict) checkUnknownMembers(raw, UPDATE_MEMBERS, problems);
  checkCaption(raw.userCaption, problems);
  const visibility = checkVisibility(raw.visibility, problems, false);
  checkTitleData(raw.titleData, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      ...(typeof raw.userCaption === 'string' ? { userCaption: raw.userCaption } : {}),
      ...(visibility !== undefined ? { visibility } : {}),
      ...(typeof raw.titleData === 'string' ? { titleData: raw.titleData } : {}),
    },
  };
}

/** One sentence for a list of problems, for error bodies and messages. */
export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((problem) => problem.message).join(' ');
}
