/**
 * The request builder and its validation at every limit the protocol fixes: a caption far over
 * 250 units made of emoji and combining marks, thumbnail offsets outside int32 and outside the
 * clip, and file sizes at and around the u32 edge (issue 5, "Tests and figures").
 */
import { describe, expect, it } from 'vitest';
import { MAX_CAPTION_UTF16, MAX_INT32, MAX_UINT32 } from '../../app/gameclips/limits';
import { buildInitialUploadRequest, type ReserveInputs } from '../../app/gameclips/request';
import { truncateCaption, validateInitialUploadRequest } from '../../app/gameclips/validate';

const base: ReserveInputs = {
  correlationId: 'c0ffee00-0000-4000-8000-000000000002',
  probe: { container: 'mp4', durationSeconds: 20, recordedAt: '2026-11-26T10:00:00.000Z' },
  fileSize: 12_345_678,
  draft: { caption: '', visibility: 'Owner' },
  thumbnailSource: 'Offset',
  savedByUser: false,
};
const validate = (inputs: Partial<ReserveInputs>) =>
  validateInitialUploadRequest(buildInitialUploadRequest({ ...base, ...inputs }), {
    maxBlockBytes: 2_000_000,
  });

/** Whether `text` ends inside a grapheme: a lone high surrogate, or a joiner/mark with nothing after. */
function endsMidCharacter(text: string, original: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) return true;
  const graphemes = [
    ...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(original),
  ];
  let offset = 0;
  for (const { segment } of graphemes) {
    if (offset === text.length) return false;
    offset += segment.length;
    if (offset > text.length) return true;
  }
  return false;
}

describe('captions of 10,000 characters', () => {
  const samples = {
    emoji: '🎮🔥'.repeat(5000),
    'family emoji (ZWJ sequences)': '👨‍👩‍👧‍👦'.repeat(910),
    'combining marks': 'e\u0301a\u0308o\u0302'.repeat(1700),
    'mixed with an odd start': `x${'😀\u0301ñ'.repeat(3000)}`,
  };
  for (const [name, caption] of Object.entries(samples)) {
    it(`${name}: cut to at most 250 UTF-16 units at a character boundary, and valid`, () => {
      expect(caption.length).toBeGreaterThanOrEqual(10_000);
      const result = validate({ draft: { caption, visibility: 'Owner' } });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const sent = result.value.userCaption ?? '';
      expect(sent.length).toBeLessThanOrEqual(MAX_CAPTION_UTF16);
      expect(sent.length).toBeGreaterThan(MAX_CAPTION_UTF16 - 12);
      expect(caption.startsWith(sent)).toBe(true);
      expect(endsMidCharacter(sent, caption)).toBe(false);
    });
  }

  it('keeps a caption of exactly 250 units untouched', () => {
    const caption = '😀'.repeat(125);
    expect(truncateCaption(caption)).toBe(caption);
    expect(truncateCaption(`${caption}!`)).toBe(caption);
  });

  it('a hand-made request over 250 units is refused with the field named', () => {
    const request = { ...buildInitialUploadRequest(base), userCaption: 'x'.repeat(10_000) };
    const result = validateInitialUploadRequest(request, { maxBlockBytes: 2_000_000 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toContain('userCaption');
  });
});

describe('thumbnail offsets', () => {
  it.each([
    ['-1', -1, 0],
    ['0', 0, 0],
    ['inside the clip', 12_500, 12_500],
    ['past the end', 60_000, 20_000],
    ['2^31 (over int32)', 2 ** 31, 20_000],
    ['int32 max', MAX_INT32, 20_000],
  ])('%s is clamped into the clip', (_name, offset, expected) => {
    const result = validate({
      draft: { caption: '', visibility: 'Owner', thumbnailOffsetMs: offset },
    });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.thumbnailOffsetMillseconds).toBe(expected);
  });

  it('a hand-made request with an offset of -1 or 2^31 is refused', () => {
    for (const offset of [-1, 2 ** 31]) {
      const request = { ...buildInitialUploadRequest(base), thumbnailOffsetMillseconds: offset };
      const result = validateInitialUploadRequest(request, { maxBlockBytes: 2_000_000 });
      expect(result.ok, String(offset)).toBe(false);
    }
  });

  it('sends no offset with Upload thumbnails', () => {
    const result = validate({
      thumbnailSource: 'Upload',
      draft: { caption: '', visibility: 'Owner', thumbnailOffsetMs: 5000 },
    });
    expect(result.ok && result.value.thumbnailOffsetMillseconds).toBe(undefined);
  });
});

describe('file sizes', () => {
  it('0 bytes is refused (intake calls it empty before this point)', () => {
    const result = validate({ fileSize: 0 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toContain('fileSize');
  });

  it('exactly 4,294,967,295 bytes is allowed, in 2,148 blocks', () => {
    const result = validate({ fileSize: MAX_UINT32 });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.expectedBlocks).toBe(Math.ceil(MAX_UINT32 / 2_000_000));
  });

  it('4,294,967,296 bytes is refused as too large', () => {
    const result = validate({ fileSize: MAX_UINT32 + 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toContain('fileSize');
  });
});
