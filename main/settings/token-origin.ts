/**
 * Which service origin the stored account token is for (issue 14 item 3). Kept beside the token,
 * never with it: the origin is shown in Settings, and a change of the service's origin clears the
 * token, so a token typed for one service is never sent to another.
 */
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-file';

export const TOKEN_ORIGIN_FILE_NAME = 'account-token-origin.json';

const TokenOriginSchema = z.object({ version: z.literal(1), origin: z.string().min(1) });

export async function readTokenOrigin(folder: string): Promise<string | undefined> {
  try {
    const text = await readFile(path.join(folder, TOKEN_ORIGIN_FILE_NAME), 'utf8');
    const parsed = TokenOriginSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.origin : undefined;
  } catch {
    return undefined;
  }
}

export async function writeTokenOrigin(folder: string, origin: string | undefined): Promise<void> {
  const file = path.join(folder, TOKEN_ORIGIN_FILE_NAME);
  if (origin === undefined) {
    await unlink(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    return;
  }
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, origin })}\n`);
}
