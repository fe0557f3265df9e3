/**
 * Settings on disk: `settings.json` in the user-data folder, parsed with the schema from app/.
 * A file that does not parse is kept aside (never silently overwritten) and defaults are used.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { SettingsSchema, defaultSettings, type Settings } from '../../app/settings';
import type { Logger } from '../util/logger';
import { writeFileAtomic } from '../util/atomic-file';

export async function loadSettings(
  userDataDir: string,
  videosFolder: string | undefined,
  logger: Logger,
): Promise<Settings> {
  const file = path.join(userDataDir, 'settings.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // First run: the OS videos folder is where recorders save by default. On a fresh account it
    // may not exist yet; create it, so the watched folder is there rather than reported missing.
    if (videosFolder !== undefined)
      await mkdir(videosFolder, { recursive: true }).catch((error: unknown) =>
        logger.warn('settings: could not create the videos folder', { error: String(error) }),
      );
    const settings = defaultSettings(videosFolder);
    await saveSettings(userDataDir, settings);
    return settings;
  }
  let parsed;
  try {
    parsed = SettingsSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (parsed?.success) return parsed.data;
  const aside = `${file}.invalid-${Date.now()}`;
  await rename(file, aside).catch(() => undefined);
  logger.warn('settings: the file could not be read; defaults are used and the old file kept', {
    aside,
  });
  const settings = defaultSettings(videosFolder);
  await saveSettings(userDataDir, settings);
  return settings;
}

export async function saveSettings(userDataDir: string, settings: Settings): Promise<void> {
  await mkdir(userDataDir, { recursive: true });
  await writeFileAtomic(
    path.join(userDataDir, 'settings.json'),
    `${JSON.stringify(SettingsSchema.parse(settings), null, 2)}\n`,
  );
}
