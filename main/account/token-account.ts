/**
 * An AccountProvider over the stored token: what the HTTP client sends, and what "refresh after a
 * 401" means for a token the user pasted. There is no refresh token to spend, so a refresh
 * succeeds only when the stored token changed since the one that was refused (the user set a new
 * one in the settings meanwhile); otherwise the clip is blocked as signed out until they do.
 */
import type { AccountProvider } from '../gameclips/gameclips-client';
import type { TokenStore } from './token-store';

export function tokenAccount(store: Pick<TokenStore, 'read'>): AccountProvider {
  let lastSent: string | undefined;
  return {
    async authorization() {
      lastSent = await store.read();
      return lastSent;
    },
    async refresh() {
      const current = await store.read();
      return current !== undefined && current !== lastSent;
    },
  };
}
