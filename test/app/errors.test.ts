import { describe, expect, it } from 'vitest';
import { APP_ERROR_CODES, errorView, forbiddenReason } from '../../app/errors';

describe('errorView', () => {
  it('gives every code a sentence and one next step', () => {
    for (const code of APP_ERROR_CODES) {
      const view = errorView(code);
      expect(view.message.length, code).toBeGreaterThan(15);
      expect(view.message, code).toMatch(/[.!]$/u);
      expect(view.action, code).toBeTruthy();
    }
  });

  it('keeps what the service said as the detail', () => {
    expect(errorView('gameclips/rejected', 'Caption too long')).toMatchObject({
      code: 'gameclips/rejected',
      detail: 'Caption too long',
    });
    expect(errorView('gameclips/rejected', '')).not.toHaveProperty('detail');
  });
});

describe('forbiddenReason', () => {
  it.each([
    [
      'DeviceType Win32 is not an uploading device here; allowed: XboxOne.',
      'gameclips/forbidden-device',
    ],
    ["The SCID 0000 does not match the token's title (TitleId 1).", 'gameclips/forbidden-title'],
    ['The XUID in the URI does not match the caller.', 'gameclips/forbidden'],
    [undefined, 'gameclips/forbidden'],
  ])('%s -> %s', (message, code) => {
    expect(forbiddenReason(message)).toBe(code);
  });
});
