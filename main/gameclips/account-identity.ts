/**
 * Which account a token is for, as a value that can be stored beside a reservation without
 * storing the token (issue 14 item 2): a hash of the token's subject. For the XBL3.0 header
 * (`XBL3.0 x=<userhash>;<token>`, spec 1.2) the subject is the user hash, which stays the same
 * when the token is renewed for the same user; for any other value, the value itself.
 */
import { createHash } from 'node:crypto';
import type { AccountProvider } from './gameclips-client';

/** The account's stable subject in an `Authorization` value. */
export function accountSubject(authorization: string): string {
  const match = /^XBL3\.0 x=([^;\s]+);\S+$/u.exec(authorization.trim());
  return match ? `uhs:${match[1]}` : `value:${authorization.trim()}`;
}

/** The stored form of an account: never the token, never reversible to it. */
export function accountIdentityOf(authorization: string | undefined): string {
  if (authorization === undefined || authorization.length === 0) return 'none';
  const digest = createHash('sha256').update(accountSubject(authorization)).digest('hex');
  return `acct-${digest.slice(0, 24)}`;
}

/** The identity of the account the provider answers for now. */
export async function accountIdentity(account: AccountProvider): Promise<string> {
  return accountIdentityOf(await account.authorization());
}
