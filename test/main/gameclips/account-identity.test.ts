import { describe, expect, it } from 'vitest';
import { accountIdentityOf, accountSubject } from '../../../main/gameclips/account-identity';

describe('accountIdentityOf', () => {
  it('is the same for every token of one user hash, and never holds the token', () => {
    const first = accountIdentityOf('XBL3.0 x=1234567890;first-secret-token');
    const renewed = accountIdentityOf('XBL3.0 x=1234567890;renewed-secret-token');
    expect(first).toBe(renewed);
    expect(first).toMatch(/^acct-[0-9a-f]{24}$/u);
    expect(first).not.toContain('secret');
    expect(first).not.toContain('1234567890');
  });

  it('tells users apart, and a value that is not XBL3.0 by the whole value', () => {
    expect(accountIdentityOf('XBL3.0 x=1;t')).not.toBe(accountIdentityOf('XBL3.0 x=2;t'));
    expect(accountSubject('Bearer abc')).toBe('value:Bearer abc');
    expect(accountIdentityOf('Bearer abc')).not.toContain('abc');
    expect(accountIdentityOf(undefined)).toBe('none');
  });
});
