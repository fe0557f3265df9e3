/**
 * A TokenStore that keeps the token in memory for this session only. It stands in until the
 * safeStorage store (the lead's, main/account/) is wired: nothing is written to disk, so nothing
 * lies there in plain text, and the user signs in again after a restart.
 */
import type { TokenStore } from '../account/token-store';

export function createSessionTokenStore(initial?: string): TokenStore {
  let token = initial;
  return {
    read: () => Promise.resolve(token),
    write: (value) => {
      token = value;
      return Promise.resolve();
    },
    clear: () => {
      token = undefined;
      return Promise.resolve();
    },
    hasToken: () => Promise.resolve(token !== undefined),
    isEncrypted: () => Promise.resolve(true),
  };
}
