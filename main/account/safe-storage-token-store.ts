/**
 * The account token at rest, encrypted with Electron's safeStorage async API (S3).
 *
 * One small file in the user-data folder, replaced atomically and readable only by the user.
 * Where the OS has no real secret store (Linux with no keyring: safeStorage's `basic_text`
 * backend encrypts with a fixed password), the token is still stored, but `isEncrypted()` says
 * false so the window can tell the user, as the quality bar asks. The token is cached in memory
 * after the first read and never logged.
 */
import type { SafeStorage } from 'electron';
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-file';
import type { TokenStore } from './token-store';

/** The part of Electron's safeStorage this store uses (tests pass a real cipher in its place). */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'
> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

const TokenFileSchema = z.object({
  version: z.literal(1),
  /** `safe-storage`: ciphertext from safeStorage; `plain`: no encryption exists on this system. */
  format: z.enum(['safe-storage', 'plain']),
  data: z.base64(),
});

export const TOKEN_FILE_NAME = 'account-token.json';

export class SafeStorageTokenStore implements TokenStore {
  private cached: { token: string | undefined } | undefined;
  private readonly file: string;

  constructor(
    folder: string,
    private readonly safeStorage: SafeStorageLike,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.file = path.join(folder, TOKEN_FILE_NAME);
  }

  async read(): Promise<string | undefined> {
    if (this.cached) return this.cached.token;
    let stored: z.infer<typeof TokenFileSchema>;
    try {
      stored = TokenFileSchema.parse(JSON.parse(await readFile(this.file, 'utf8')));
    } catch {
      // No file, or one this version cannot read: no token (the user is asked to set it again).
      this.cached = { token: undefined };
      return undefined;
    }
    const bytes = Buffer.from(stored.data, 'base64');
    let token: string;
    if (stored.format === 'plain') token = bytes.toString('utf8');
    else {
      const decrypted = await this.safeStorage.decryptStringAsync(bytes);
      token = decrypted.result;
      // The key was rotated or a stronger one is available: store it again under the new key.
      if (decrypted.shouldReEncrypt) await this.write(token);
    }
    this.cached = { token };
    return token;
  }

  async write(token: string): Promise<void> {
    const available = await this.safeStorage.isAsyncEncryptionAvailable();
    const body = available
      ? {
          version: 1,
          format: 'safe-storage',
          data: (await this.safeStorage.encryptStringAsync(token)).toString('base64'),
        }
      : { version: 1, format: 'plain', data: Buffer.from(token, 'utf8').toString('base64') };
    await writeFileAtomic(this.file, `${JSON.stringify(body)}\n`);
    this.cached = { token };
  }

  async clear(): Promise<void> {
    await unlink(this.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    this.cached = { token: undefined };
  }

  async hasToken(): Promise<boolean> {
    return (await this.read()) !== undefined;
  }

  async isEncrypted(): Promise<boolean> {
    if (!(await this.safeStorage.isAsyncEncryptionAvailable())) return false;
    // On Linux without a keyring safeStorage "encrypts" with a hard-coded password.
    if (this.platform === 'linux') {
      const backend = this.safeStorage.getSelectedStorageBackend?.();
      return backend !== undefined && backend !== 'basic_text' && backend !== 'unknown';
    }
    return true;
  }
}
