import { describe, expect, it } from 'vitest';
import {
  acceptCaptionInput,
  captionRemaining,
  isCaptionNearLimit,
} from '../../../../renderer/features/pending/caption-counter';

describe('caption counter', () => {
  it('counts UTF-16 code units: an emoji outside the BMP costs two', () => {
    expect(captionRemaining('')).toBe(250);
    expect(captionRemaining('abc')).toBe(247);
    expect(captionRemaining('😀')).toBe(248);
    expect(captionRemaining('遊戲')).toBe(248);
  });

  it('never goes below zero', () => {
    expect(captionRemaining('a'.repeat(300))).toBe(0);
  });

  it('accepts text up to the limit unchanged', () => {
    const text = `${'a'.repeat(248)}😀`;
    expect(acceptCaptionInput(text)).toBe(text);
    expect(captionRemaining(acceptCaptionInput(text))).toBe(0);
  });

  it('cuts before a surrogate pair that would straddle the limit', () => {
    const cut = acceptCaptionInput(`${'a'.repeat(249)}😀`);
    expect(cut).toBe('a'.repeat(249));
    expect(captionRemaining(cut)).toBe(1);
    expect(/[\uD800-\uDBFF]$/u.test(cut)).toBe(false);
  });

  it('cuts long pastes of emoji to whole pairs', () => {
    const cut = acceptCaptionInput('😀'.repeat(200));
    expect(cut.length).toBe(250);
    expect(cut).toBe('😀'.repeat(125));
    const odd = acceptCaptionInput(`a${'😀'.repeat(200)}`);
    expect(odd.length).toBe(249);
    expect(odd.endsWith('😀')).toBe(true);
  });

  it('flags the last twenty units', () => {
    expect(isCaptionNearLimit('a'.repeat(229))).toBe(false);
    expect(isCaptionNearLimit('a'.repeat(230))).toBe(true);
  });
});
