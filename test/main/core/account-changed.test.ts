/**
 * Signing in again: a clip blocked as signed out (401, no refresh possible) is reserved as soon
 * as the user stores a new token, without pressing Retry on each clip. Real sandbox, real clip,
 * the real token store over a real cipher standing in for the OS key store.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SafeStorageTokenStore } from '../../../main/account/safe-storage-token-store';
import { tokenAccount } from '../../../main/account/token-account';
import type { Companion } from '../../../main/core/companion';
import { startTestCompanion } from '../../integration/upload-support';
import { makeClip, tempDir } from '../../support/clips';
import { openSandbox, type AccountInfo, type TestSandbox } from '../../sandbox/support';

const key = randomBytes(32);
const keyStore = {
  isAsyncEncryptionAvailable: () => Promise.resolve(true),
  encryptStringAsync: (plain: string) => {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    return Promise.resolve(Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]));
  },
  decryptStringAsync: (data: Buffer) => {
    const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
    const plain = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
    return Promise.resolve({ result: plain.toString('utf8'), shouldReEncrypt: false });
  },
};

let dir: string;
let cleanup: () => Promise<void>;
let sandbox: TestSandbox;
let account: AccountInfo;
let companion: Companion | undefined;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-account-'));
  sandbox = await openSandbox();
  account = await sandbox.account();
}, 30_000);
afterAll(async () => {
  await companion?.stop();
  await sandbox.close();
  await cleanup();
});

it('a clip blocked as signed out is reserved once a new token is stored', async () => {
  const tokens = new SafeStorageTokenStore(dir, keyStore);
  await tokens.write('XBL3.0 x=0;expired-token');
  // Review: the clip must stay reserved for the test to see it there.
  let watched: string;
  ({ companion, watched } = await startTestCompanion({
    root: dir,
    custom: { baseUrl: sandbox.baseUrl, account, provider: tokenAccount(tokens) },
    mode: 'app',
    sendPolicy: { kind: 'review' },
  }));
  await makeClip(path.join(watched, 'clip.mp4'), { seconds: 1 });
  const settle = async (state: string) => {
    for (;;) {
      const record = companion?.ledger.all()[0];
      if (record?.state === state) return record;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const blocked = await settle('blocked');
  expect(blocked.error).toMatchObject({ code: 'gameclips/unauthorized', action: 'sign-in' });

  await tokens.write(account.authorization);
  expect(await companion.accountChanged()).toBe(1);
  const reserved = await settle('reserved');
  expect(reserved.reservation?.gameClipId).toMatch(/[0-9a-f-]{36}/u);
}, 30_000);
