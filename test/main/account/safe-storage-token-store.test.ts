import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SafeStorageTokenStore,
  TOKEN_FILE_NAME,
  type SafeStorageLike,
} from '../../../main/account/safe-storage-token-store';
import { tokenAccount } from '../../../main/account/token-account';
import { tempDir } from '../../support/clips';

const TOKEN = 'XBL3.0 x=1234567890;eyJhbGciOiJSUzI1NiJ9.secret-part';

/**
 * Stands in for the OS key store with a real cipher (AES-256-GCM under a per-test key), so the
 * store's bytes on disk are genuinely ciphertext. `rotate()` makes the next decrypt ask for
 * re-encryption, as safeStorage does after a key rotation.
 */
function keyStore(
  options: { available?: boolean; backend?: 'basic_text' | 'gnome_libsecret' } = {},
) {
  let key = randomBytes(32);
  let rotated = false;
  let encryptions = 0;
  const storage: SafeStorageLike = {
    isAsyncEncryptionAvailable: () => Promise.resolve(options.available ?? true),
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptStringAsync: (plain: string) => {
      encryptions++;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Promise.resolve(Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    decryptStringAsync: (data: Buffer) => {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      const result = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
      const shouldReEncrypt = rotated;
      rotated = false;
      return Promise.resolve({ result: result.toString('utf8'), shouldReEncrypt });
    },
  };
  return {
    storage,
    rotate: () => {
      rotated = true;
    },
    replaceKey: () => {
      key = randomBytes(32);
    },
    encryptions: () => encryptions,
  };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});
async function folder(): Promise<string> {
  const temp = await tempDir('gc-token-');
  cleanup = temp.cleanup;
  return temp.dir;
}

describe('SafeStorageTokenStore', () => {
  it('keeps the token encrypted at rest, readable only by the user, and reads it back', async () => {
    const dir = await folder();
    const keys = keyStore();
    await new SafeStorageTokenStore(dir, keys.storage, 'linux').write(TOKEN);
    const onDisk = await readFile(path.join(dir, TOKEN_FILE_NAME), 'utf8');
    expect(onDisk).not.toContain('secret-part');
    expect(Buffer.from(JSON.parse(onDisk).data, 'base64').toString('latin1')).not.toContain(
      'secret-part',
    );
    expect((await stat(path.join(dir, TOKEN_FILE_NAME))).mode & 0o077).toBe(0);
    // A new instance (the next run) decrypts it.
    const next = new SafeStorageTokenStore(dir, keys.storage, 'linux');
    expect(await next.read()).toBe(TOKEN);
    expect(await next.hasToken()).toBe(true);
    expect(await next.isEncrypted()).toBe(true);
  });

  it('re-encrypts when the key store asks for it after a rotation', async () => {
    const dir = await folder();
    const keys = keyStore();
    await new SafeStorageTokenStore(dir, keys.storage).write(TOKEN);
    const before = await readFile(path.join(dir, TOKEN_FILE_NAME), 'utf8');
    keys.rotate();
    expect(await new SafeStorageTokenStore(dir, keys.storage).read()).toBe(TOKEN);
    expect(keys.encryptions()).toBe(2);
    expect(await readFile(path.join(dir, TOKEN_FILE_NAME), 'utf8')).not.toBe(before);
  });

  it('says the token is not protected on Linux without a keyring (basic_text)', async () => {
    const dir = await folder();
    const store = new SafeStorageTokenStore(
      dir,
      keyStore({ backend: 'basic_text' }).storage,
      'linux',
    );
    await store.write(TOKEN);
    expect(await store.isEncrypted()).toBe(false);
    expect(await store.read()).toBe(TOKEN);
  });

  it('stores plain text only where no encryption exists at all, and says so', async () => {
    const dir = await folder();
    const store = new SafeStorageTokenStore(dir, keyStore({ available: false }).storage, 'linux');
    await store.write(TOKEN);
    expect(await store.isEncrypted()).toBe(false);
    expect(JSON.parse(await readFile(path.join(dir, TOKEN_FILE_NAME), 'utf8')).format).toBe(
      'plain',
    );
    expect(
      await new SafeStorageTokenStore(dir, keyStore({ available: false }).storage).read(),
    ).toBe(TOKEN);
  });

  it('treats an unreadable file as no token, and clear removes it', async () => {
    const dir = await folder();
    await writeFile(path.join(dir, TOKEN_FILE_NAME), '{"version":1,"format":"zip"}');
    const store = new SafeStorageTokenStore(dir, keyStore().storage);
    expect(await store.hasToken()).toBe(false);
    await store.write(TOKEN);
    await store.clear();
    expect(await store.hasToken()).toBe(false);
    expect(await new SafeStorageTokenStore(dir, keyStore().storage).hasToken()).toBe(false);
    await store.clear(); // twice is fine
  });
});

describe('tokenAccount', () => {
  it('refreshes after a 401 only when the user has set a different token', async () => {
    const dir = await folder();
    const store = new SafeStorageTokenStore(dir, keyStore().storage);
    await store.write(TOKEN);
    const account = tokenAccount(store);
    expect(await account.authorization()).toBe(TOKEN);
    expect(await account.refresh()).toBe(false);
    await store.write(`${TOKEN}-renewed`);
    expect(await account.refresh()).toBe(true);
    expect(await account.authorization()).toBe(`${TOKEN}-renewed`);
  });
});
