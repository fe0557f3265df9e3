/** Issue 16, item 5: the cap as the user reads and types it. */
import { describe, expect, it } from 'vitest';
import { binaryBytes, capFromMebibytes } from '../../../app/service/storage-cap';

describe('storage cap words', () => {
  it('says sizes in binary units, one decimal at most', () => {
    expect(binaryBytes(5 * 1024 ** 3)).toBe('5 GiB');
    expect(binaryBytes(1.5 * 1024 ** 2)).toBe('1.5 MiB');
    expect(binaryBytes(900)).toBe('900 bytes');
    expect(binaryBytes(1)).toBe('1 bytes');
    expect(binaryBytes(2 ** 50)).toBe('1 PiB');
  });
  it('reads mebibytes typed in Settings, and refuses what is not a size', () => {
    expect(capFromMebibytes('1024')).toBe(1024 ** 3);
    expect(capFromMebibytes('0.5')).toBe(512 * 1024);
    expect(capFromMebibytes('0')).toBe(0);
    for (const text of ['', ' ', '-1', 'abc', 'Infinity', String(2 ** 31)])
      expect(capFromMebibytes(text)).toBeUndefined();
  });
});
