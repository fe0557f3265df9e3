import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockSpan, expectedBlockCount } from '../../app/gameclips/blocks';
import { parseClipTypes } from '../../app/gameclips/enums';
import { MAX_UINT32 } from '../../app/gameclips/limits';
import {
  buildInitialUploadRequest,
  correlationIdOf,
  correlationProperties,
} from '../../app/gameclips/request';
import {
  captionLength,
  truncateCaption,
  utf8ByteLength,
  validateInitialUploadRequest,
  validateUpdateMetadataRequest,
} from '../../app/gameclips/validate';
import {
  GetClipResponseSchema,
  QueryClipsResponseSchema,
  describeErrorBody,
} from '../../app/gameclips/wire';

const fixtures = path.resolve(__dirname, '../../../shared/spec/fixtures');
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));

const probe = {
  container: 'mp4' as const,
  durationSeconds: 27.4,
  recordedAt: '2026-11-26T10:00:00.000Z',
};

describe('buildInitialUploadRequest', () => {
  it('builds a valid private request with the correlation id, as clip-lifecycle.md section 2 lists', () => {
    const request = buildInitialUploadRequest({
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
      probe,
      fileSize: 4_000_001,
      draft: { caption: 'gg', visibility: 'Owner' },
      thumbnailSource: 'Upload',
      savedByUser: false,
    });
    expect(request).toMatchObject({
      greatestMomentId: '',
      userCaption: 'gg',
      durationInSeconds: 28,
      expectedBlocks: 3,
      fileSize: 4_000_001,
      type: 'UserGenerated',
      source: 'Intermediate',
      visibility: 'Owner',
      thumbnailSource: 'Upload',
      savedByUser: false,
    });
    expect(request).not.toHaveProperty('thumbnailOffsetMillseconds');
    expect(correlationIdOf(request.systemProperties)).toBe('c0ffee00-0000-4000-8000-000000000001');
    expect(validateInitialUploadRequest(request, { maxBlockBytes: 2_000_000 }).ok).toBe(true);
  });

  it('sends an offset inside the clip only with thumbnailSource Offset', () => {
    const request = buildInitialUploadRequest({
      correlationId: 'x',
      probe: { ...probe, durationSeconds: 2 },
      fileSize: 10,
      draft: { caption: '', visibility: 'Owner' },
      thumbnailSource: 'Offset',
      thumbnailOffsetMs: 99_999,
      savedByUser: true,
    });
    expect(request.thumbnailOffsetMillseconds).toBe(2000);
    expect(validateInitialUploadRequest(request).ok).toBe(true);
  });

  it('never reports a sub-second clip as 0 seconds', () => {
    const request = buildInitialUploadRequest({
      correlationId: 'x',
      probe: { ...probe, durationSeconds: 0.2 },
      fileSize: 10,
      draft: { caption: '', visibility: 'Owner' },
      thumbnailSource: 'Upload',
      savedByUser: false,
    });
    expect(request.durationInSeconds).toBe(1);
  });

  it('finds our correlation id among other property bags', () => {
    expect(correlationIdOf(`6a7e1238-2f7b;${correlationProperties('abc')}`)).toBe('abc');
    expect(correlationIdOf('6a7e1238-2f7b-4c66-835e-c7c799e310490;')).toBeUndefined();
    expect(correlationIdOf(undefined)).toBeUndefined();
  });
});

describe('validateInitialUploadRequest', () => {
  const valid = {
    greatestMomentId: '',
    dateRecorded: '2024-01-01T12:00:00Z',
    durationInSeconds: 30,
    expectedBlocks: 13,
    fileSize: 25_000_000,
    type: 'UserGenerated',
    source: 'TitleDirect',
    visibility: 'Default',
    thumbnailSource: 'Default',
    savedByUser: false,
  };

  it('accepts both documented samples, including the clipNameStringId alias', () => {
    const jsonRef = validateInitialUploadRequest(
      fixture('docs-sample-initialuploadrequest.jsonref.json'),
    );
    const postPage = validateInitialUploadRequest(
      fixture('docs-sample-initialuploadrequest.postpage.json'),
    );
    expect(jsonRef).toMatchObject({
      ok: true,
      value: { greatestMomentId: '123abc', type: 'MagicMoment, Achievement' },
    });
    expect(postPage).toMatchObject({ ok: true, value: { greatestMomentId: '1193045' } });
  });

  it.each([
    ['fileSize over u32', { fileSize: MAX_UINT32 + 1, expectedBlocks: 65_535 }, 'fileSize'],
    ['fileSize 0', { fileSize: 0 }, 'fileSize'],
    ['zero duration', { durationInSeconds: 0 }, 'durationInSeconds'],
    ['too few blocks', { expectedBlocks: 11 }, 'expectedBlocks'],
    ['too many blocks', { expectedBlocks: 65_536 }, 'expectedBlocks'],
    ['caption over 250', { userCaption: 'x'.repeat(251) }, 'userCaption'],
    ['visibility None', { visibility: 'None' }, 'visibility'],
    ['source None', { source: 'None' }, 'source'],
    ['type None', { type: 'None' }, 'type'],
    ['unknown type', { type: 'UserGenerated, Bogus' }, 'type'],
    ['offset missing', { thumbnailSource: 'Offset' }, 'thumbnailOffsetMillseconds'],
    [
      'offset past the end',
      { thumbnailSource: 'Offset', thumbnailOffsetMillseconds: 30_001 },
      'thumbnailOffsetMillseconds',
    ],
    ['titleData over 10 KB', { titleData: 'é'.repeat(5121) }, 'titleData'],
    ['conflicting alias', { greatestMomentId: 'a', clipNameStringId: 'b' }, 'greatestMomentId'],
    ['bad date', { dateRecorded: 'yesterday' }, 'dateRecorded'],
  ])('refuses %s with a sentence naming the member', (_name, patch, field) => {
    const result = validateInitialUploadRequest({ ...valid, ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((problem) => problem.field)).toContain(field);
      expect(result.problems.every((problem) => problem.message.endsWith('.'))).toBe(true);
    }
  });

  it('allows exactly 4,294,967,295 bytes and a caption of exactly 250 units', () => {
    expect(
      validateInitialUploadRequest({ ...valid, fileSize: MAX_UINT32, expectedBlocks: 2048 }).ok,
    ).toBe(true);
    expect(validateInitialUploadRequest({ ...valid, userCaption: '😀'.repeat(125) }).ok).toBe(true);
    expect(validateInitialUploadRequest({ ...valid, userCaption: '😀'.repeat(125) + 'x' }).ok).toBe(
      false,
    );
  });

  it('ignores an offset with other sources in lenient mode and refuses it in strict mode', () => {
    expect(validateInitialUploadRequest({ ...valid, thumbnailOffsetMillseconds: 5 }).ok).toBe(true);
    expect(
      validateInitialUploadRequest({ ...valid, thumbnailOffsetMillseconds: 5 }, { strict: true })
        .ok,
    ).toBe(false);
    expect(validateInitialUploadRequest({ ...valid, extra: 1 }, { strict: true }).ok).toBe(false);
  });

  it('refuses bodies that are not objects', () => {
    expect(validateInitialUploadRequest(null).ok).toBe(false);
    expect(validateInitialUploadRequest([]).ok).toBe(false);
  });
});

describe('validateUpdateMetadataRequest', () => {
  it('accepts both documented samples and the empty object', () => {
    expect(
      validateUpdateMetadataRequest(
        fixture('docs-sample-updatemetadatarequest.caption-visibility.json'),
      ),
    ).toMatchObject({ ok: true, value: { visibility: 'Owner' } });
    expect(
      validateUpdateMetadataRequest(fixture('docs-sample-updatemetadatarequest.titledata.json')).ok,
    ).toBe(true);
    expect(validateUpdateMetadataRequest({})).toEqual({ ok: true, value: {} });
  });
  it('is all or nothing: one bad member refuses the whole request', () => {
    const result = validateUpdateMetadataRequest({ userCaption: 'fine', visibility: 'None' });
    expect(result.ok).toBe(false);
  });
});

describe('captions and sizes', () => {
  it('counts UTF-16 units and never cuts a surrogate pair', () => {
    expect(captionLength('😀')).toBe(2);
    const cut = truncateCaption('a' + '😀'.repeat(125));
    expect(cut.length).toBe(249);
    expect(cut.endsWith('😀')).toBe(true);
  });
  it('counts UTF-8 bytes like Buffer does', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a😀é\ud800x'])
      expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });
  it('plans blocks of at most 2,000,000 bytes from 0, at least one', () => {
    expect(expectedBlockCount(1)).toBe(1);
    expect(expectedBlockCount(2_000_000)).toBe(1);
    expect(expectedBlockCount(2_000_001)).toBe(2);
    expect(blockSpan(4_500_000, 2)).toEqual({ blockNum: 2, start: 4_000_000, end: 4_500_000 });
  });
  it('normalizes comma-delimited types as "A, B"', () => {
    expect(parseClipTypes(' magicmoment ,Achievement')).toEqual({
      ok: true,
      normalized: 'MagicMoment, Achievement',
      flags: ['MagicMoment', 'Achievement'],
    });
  });
});

describe('reading service output', () => {
  it('parses the real third-party list and the documented samples', () => {
    const real = QueryClipsResponseSchema.parse(
      fixture('thirdparty-openxbox-gameclips-recent-own.trimmed.json'),
    );
    expect(real.gameClips).toHaveLength(2);
    expect(real.gameClips[0]?.state).toBe('Published');
    expect(real.pagingInfo?.continuationToken).toBe('abcde_vwxyzGQAAAA2');
    expect(
      QueryClipsResponseSchema.parse(
        fixture('docs-sample-queryclipsresponse.usersowneridclips.json'),
      ).gameClips[0]?.visibility,
    ).toBe('Public');
    expect(
      GetClipResponseSchema.parse(fixture('docs-sample-getclipresponse.json')).gameClip.gameClipId,
    ).toBe('cd42452a-8ec0-4289-9e9e-e4cd89d7d674-000');
  });
  it('accepts integer enums (A16) and unknown members (A25)', () => {
    const clip = GetClipResponseSchema.parse({
      gameClip: { gameClipId: 'g', state: 6, brandNew: true },
    }).gameClip;
    expect(clip.state).toBe('Published');
  });
  it('describes every documented error shape, and none', () => {
    expect(describeErrorBody(fixture('docs-sample-serviceerrorresponse.json'))).toEqual({
      message: 'XUID specified in the claim does not match URI XUID.',
      code: 8377,
    });
    expect(
      describeErrorBody({ errorSource: 'x', errorResponseCode: 5, errorMessage: 'gone' }),
    ).toEqual({ message: 'gone', code: 5 });
    expect(describeErrorBody({ code: 5300, description: 'down' })).toEqual({
      message: 'down',
      code: 5300,
    });
    expect(describeErrorBody('')).toEqual({});
    expect(describeErrorBody('<html>bad gateway</html>')).toEqual({
      message: '<html>bad gateway</html>',
    });
  });
});
