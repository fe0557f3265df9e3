/**
 * A standalone `gameclips-sandbox` process with one provisioned account, for CLI tests that must
 * count what the service holds after the companion has exited (or while two run).
 */
import path from 'node:path';
import { startBin, type RunningBin } from './cli-process';

export interface ServiceClip {
  readonly gameClipId: string;
  readonly state: string;
  readonly systemProperties?: string;
}

export interface StandaloneSandbox {
  readonly process: RunningBin;
  /** `--service <url> --scid <scid>` for the companion CLI. */
  readonly args: readonly string[];
  /** GAMECLIPS_AUTHORIZATION for the companion CLI. */
  readonly env: NodeJS.ProcessEnv;
  /** Every clip of the account, across pages. */
  list(): Promise<ServiceClip[]>;
}

export async function startStandaloneSandbox(
  sandboxBin: string,
  dataDir: string,
): Promise<StandaloneSandbox> {
  const sandbox = startBin(sandboxBin, ['--port', '0', '--data', path.resolve(dataDir)]);
  const line = await sandbox.waitForLine((text) => text.startsWith('GameClips sandbox listening'));
  const baseUrl = line.match(/http:\/\/127\.0\.0\.1:\d+/u)?.[0] as string;
  const created = await fetch(`${baseUrl}/sandbox/accounts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  const account = (await created.json()) as { authorization: string; scid: string };
  return {
    process: sandbox,
    args: ['--service', baseUrl, '--scid', account.scid],
    env: { GAMECLIPS_AUTHORIZATION: account.authorization },
    async list() {
      const clips: ServiceClip[] = [];
      let token: string | undefined;
      do {
        const query = `?maxItems=100${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
        const response = await fetch(`${baseUrl}/users/me/scids/${account.scid}/clips${query}`, {
          headers: { Authorization: account.authorization, 'x-xbl-contract-version': '1' },
        });
        const body = (await response.json()) as {
          gameClips: ServiceClip[];
          pagingInfo?: { continuationToken?: string | null };
        };
        clips.push(...body.gameClips);
        token = body.pagingInfo?.continuationToken ?? undefined;
      } while (token);
      return clips;
    },
  };
}
