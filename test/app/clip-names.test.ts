import { describe, expect, it } from 'vitest';
import { baseName, escapeDisplayName } from '../../app/clip/display-name';
import { isCandidateName } from '../../app/clip/file-types';

describe('file names', () => {
  it('spells out bidi overrides and control characters', () => {
    expect(escapeDisplayName('clip\u202Egnp.mp4')).toBe('clip\\u{202e}gnp.mp4');
    expect(escapeDisplayName('a\nb\u0007.mp4')).toBe('a\\u{000a}b\\u{0007}.mp4');
    expect(escapeDisplayName('Café 🎮.mp4')).toBe('Café 🎮.mp4');
  });
  it('takes video extensions in any case and ignores temporary names and dotfiles', () => {
    for (const name of ['a.mp4', 'B.MOV', 'c.m4v', 'd.mkv', 'e.WebM'])
      expect(isCandidateName(name)).toBe(true);
    for (const name of [
      '.hidden.mp4',
      'a.mp4.part',
      'a.tmp',
      'a.crdownload',
      '~lock.mp4',
      'notes.txt',
      'a.mp4.bak',
    ])
      expect(isCandidateName(name)).toBe(false);
  });
  it('takes the last path segment for either separator', () => {
    expect(baseName('C:\\Videos\\Captures\\a.mp4')).toBe('a.mp4');
    expect(baseName('/home/u/Videos/a.mp4')).toBe('a.mp4');
  });
});
