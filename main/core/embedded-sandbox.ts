/**
 * The built-in service: the GameClips sandbox started in-process on loopback, with a local
 * account provisioned on first run so the user has nothing to type.
 *
 * The port is remembered between runs because upload URIs issued by one run embed it; a clip
 * reserved yesterday should upload to the same address today.
 *
 * It answers only this app (issue 14): loopback Host and Origin only, signed tokens only, admin
 * routes behind a secret made fresh each run and kept in this process (`sandbox.adminSecret`),
 * and it runs nothing from PATH (no ffmpeg: the app uploads its own thumbnails).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-file';
import { ADMIN_SECRET_HEADER, startSandbox, type RunningSandbox } from '../sandbox/index';
import type { Logger } from '../util/logger';
import { legacyServiceDataDir } from '../util/paths';
import { moveServiceData } from './service-data-move';

const SandboxAccountSchema = z.object({
  port: z.number().int().min(0).max(65535),
  account: z.object({
    authorization: z.string().min(1),
    scid: z.string().min(1),
    xuid: z.string(),
  }),
});
export type SandboxAccountFile = z.infer<typeof SandboxAccountSchema>;

export interface EmbeddedSandbox {
  readonly sandbox: RunningSandbox;
  readonly authorization: string;
  readonly scid: string;
  /** The local account as provisioned on disk now; undefined when the file is gone or unreadable. */
  readAccount(): Promise<SandboxAccountFile['account'] | undefined>;
}

/**
 * The lifetime of the built-in service's download links: an hour, or shorter when
 * `GAMECLIPS_SANDBOX_LINK_TTL_MS` asks (the window tests let a link expire; issue 16). Never longer.
 */
function downloadLinkLifetime(): { downloadUriTtlMs?: number } {
  const asked = Number(process.env.GAMECLIPS_SANDBOX_LINK_TTL_MS);
  return Number.isInteger(asked) && asked >= 1000 && asked < 3_600_000
    ? { downloadUriTtlMs: asked }
    : {};
}

export async function startEmbeddedSandbox(
  dataDir: string,
  logger: Logger,
  /** Where the service keeps its data (main/util/paths.ts serviceDataDir); `<dataDir>/sandbox` by default. */
  serviceDir: string = legacyServiceDataDir(dataDir),
): Promise<EmbeddedSandbox> {
  // A folder still in the old place is moved first, before the service runs on either (issue 16).
  const sandboxDir = await moveServiceData({
    from: legacyServiceDataDir(dataDir),
    to: serviceDir,
    logger,
  });
  const accountFile = path.join(dataDir, 'sandbox-account.json');
  const saved = await readFile(accountFile, 'utf8')
    .then((text) => SandboxAccountSchema.safeParse(JSON.parse(text)))
    .catch(() => undefined);
  const builtIn = {
    dataDir: sandboxDir,
    host: '127.0.0.1',
    adminSecret: randomBytes(32).toString('base64url'),
    ffmpegPath: null,
    allowUnsignedTokens: false,
    ...downloadLinkLifetime(),
  } as const;
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({ ...builtIn, port: saved?.success ? saved.data.port : 0 });
  } catch (error) {
    logger.warn('sandbox: remembered port is taken; using a new one', { error: String(error) });
    sandbox = await startSandbox({ ...builtIn, port: 0 });
  }
  let account = saved?.success ? saved.data.account : undefined;
  // On Windows this file roams with the profile while the service's data stays on the machine: on
  // another machine the service does not know the account, and a new one is provisioned.
  if (account && !(await serviceKnows(sandbox.baseUrl, account.authorization))) {
    logger.warn('sandbox: the remembered account is unknown to this service; provisioning anew');
    account = undefined;
  }
  if (!account) {
    const response = await fetch(`${sandbox.baseUrl}/sandbox/accounts`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [ADMIN_SECRET_HEADER]: sandbox.adminSecret ?? '',
      },
      body: JSON.stringify({ gamertag: 'Local player' }),
    });
    if (response.status !== 201)
      throw new Error(`sandbox: could not provision the local account (HTTP ${response.status})`);
    const body = (await response.json()) as { authorization: string; scid: string; xuid: string };
    account = { authorization: body.authorization, scid: body.scid, xuid: body.xuid };
    logger.info('sandbox: provisioned the local account', { xuid: account.xuid });
  }
  const file: SandboxAccountFile = { port: sandbox.port, account };
  await writeFileAtomic(accountFile, JSON.stringify(file, null, 1));
  return {
    sandbox,
    authorization: account.authorization,
    scid: account.scid,
    readAccount: () =>
      readFile(accountFile, 'utf8')
        .then((text) => SandboxAccountSchema.safeParse(JSON.parse(text)))
        .then((parsed) => (parsed.success ? parsed.data.account : undefined))
        .catch(() => undefined),
  };
}

/** Whether the service accepts the account's token (an in-process loopback call). */
async function serviceKnows(baseUrl: string, authorization: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/users/me/storage`, {
    headers: { Authorization: authorization, 'X-RequestedServiceVersion': '1' },
  });
  await response.body?.cancel();
  return response.status !== 401;
}
