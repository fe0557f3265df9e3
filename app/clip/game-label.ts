/**
 * The game a clip is from, derived locally from where it came from: nothing is asked of a
 * service, and the user can always change it per clip.
 *
 * In order of trust:
 * 1. the label the user gave its watched folder in Settings;
 * 2. a per-game subfolder under the watched folder, as NVIDIA ShadowPlay/App and many OBS set-ups
 *    write (`Videos/Apex Legends/...`), skipping folders every recorder uses whatever the game
 *    (`Captures`, `Replays`, a year, Steam's `clip_<appid>_...` folders);
 * 3. the recorder's file name: Xbox Game Bar's `<Game> 2024-01-05 21-14-33.mp4`, NVIDIA's
 *    `<Game> 2024.01.05 - 21.14.33.02.mp4`, Medal/AMD-style `<Game>_2024-01-05_21-14-33.mp4`;
 * 4. a Steam game recording's app id (`clip_<appid>_<date>_<time>`), named when the app id is a
 *    well-known one.
 * Paths may use either separator: the window and the CLI see paths from every OS.
 */
import { GAME_LABEL_MAX } from '../settings';

/** Folders recorders and users keep whatever the game: never a game's name. */
const GENERIC_FOLDERS = new Set([
  'captures',
  'capture',
  'clips',
  'clip',
  'replays',
  'replay',
  'replay buffer',
  'recordings',
  'recording',
  'videos',
  'video',
  'movies',
  'highlights',
  'desktop',
  'obs',
  'shadowplay',
  'nvidia',
  'geforce experience',
  'xbox game bar',
  'gamerecordings',
  'game recordings',
  'steam',
  'userdata',
  'video clips',
  'instant replay',
  'instant replays',
  'exports',
  'export',
  'new folder',
]);

/** Steam app ids of games people clip most, for recordings that carry only the id. */
const STEAM_APPS: Readonly<Record<string, string>> = {
  '730': 'Counter-Strike 2',
  '570': 'Dota 2',
  '440': 'Team Fortress 2',
  '252490': 'Rust',
  '271590': 'Grand Theft Auto V',
  '578080': 'PUBG: BATTLEGROUNDS',
  '1172470': 'Apex Legends',
  '1086940': "Baldur's Gate 3",
  '1245620': 'ELDEN RING',
  '1091500': 'Cyberpunk 2077',
  '2357570': 'Overwatch 2',
  '1938090': 'Call of Duty',
  '359550': "Tom Clancy's Rainbow Six Siege",
  '892970': 'Valheim',
  '105600': 'Terraria',
  '413150': 'Stardew Valley',
  '1623730': 'Palworld',
  '2767030': 'Marvel Rivals',
  '553850': 'HELLDIVERS 2',
  '1203220': 'NARAKA: BLADEPOINT',
  '381210': 'Dead by Daylight',
  '230410': 'Warframe',
  '1599340': 'Lost Ark',
  '2073850': 'THE FINALS',
  '236390': 'War Thunder',
  '1063730': 'New World',
  '1144200': 'Ready or Not',
  '322330': "Don't Starve Together",
  '945360': 'Among Us',
  '1517290': 'Battlefield 2042',
};

const DATE_FOLDER = /^(?:\d{4}(?:[-_. ]\d{1,2}){0,2}|\d{1,2}[-_. ]\d{4})$/u;
const STEAM_CLIP_FOLDER = /^(?:clip|bg|fg)_(\d{1,10})_\d{8}_\d{6}$/u;
const STEAM_APP_FOLDER = /^\d{2,10}$/u;
/** `<Game> 2024-01-05 21-14-33`, `<Game> 2024.01.05 - 21.14.33.02`, `<Game>_2024-01-05_21-14-33`. */
const RECORDER_NAME =
  /^(.+?)[ _]+\d{4}[-._]\d{2}[-._]\d{2}(?:[ _]+-)?[ _]+\d{2}[-._]\d{2}[-._]\d{2}(?:[-._]\d{1,3})?(?:[ _.].*)?$/u;

function segmentsOf(filePath: string): string[] {
  return filePath.split(/[\\/]+/u).filter((part) => part !== '');
}

function normalised(folder: string): string {
  return segmentsOf(folder).join('/').toLowerCase();
}

function tidy(label: string): string | undefined {
  const cleaned = label.replace(/[_]+/gu, ' ').replace(/\s+/gu, ' ').trim();
  if (cleaned === '') return undefined;
  return [...cleaned].slice(0, GAME_LABEL_MAX).join('');
}

function isGenericFolder(name: string): boolean {
  const lower = name.toLowerCase();
  return GENERIC_FOLDERS.has(lower) || DATE_FOLDER.test(lower) || STEAM_CLIP_FOLDER.test(lower);
}

/** The watched folder holding the file (the deepest one, should folders nest). */
function rootOf(filePath: string, roots: readonly string[]): string | undefined {
  const file = normalised(filePath);
  let best: string | undefined;
  for (const root of roots) {
    const key = normalised(root);
    if (file.startsWith(`${key}/`) && (best === undefined || key.length > normalised(best).length))
      best = root;
  }
  return best;
}

function steamGame(folders: readonly string[]): string | undefined {
  for (const folder of [...folders].reverse()) {
    const appId = STEAM_CLIP_FOLDER.exec(folder)?.[1];
    if (appId !== undefined) return STEAM_APPS[appId];
  }
  return undefined;
}

export interface GameLabelContext {
  /** The watched folders, as Settings hold them. */
  readonly roots: readonly string[];
  /** Labels the user gave watched folders, by folder path. */
  readonly folderLabels: Readonly<Record<string, string>>;
}

/** The game a clip at `filePath` is from, or undefined when nothing says. */
export function gameLabelFor(filePath: string, context: GameLabelContext): string | undefined {
  const root = rootOf(filePath, context.roots);
  if (root !== undefined) {
    const label = tidy(context.folderLabels[root] ?? '');
    if (label !== undefined) return label;
  }
  const all = segmentsOf(filePath);
  const fileName = all.at(-1) ?? '';
  // Outside the watched folders (a dropped file) a folder says nothing: `Downloads` is no game.
  const folders = root === undefined ? [] : all.slice(segmentsOf(root).length, -1);
  // A per-game folder: the first folder under the root that names no recorder habit. Steam's
  // `<appid>` folders are skipped here and read below.
  const gameFolder = folders.find(
    (folder) => !isGenericFolder(folder) && !STEAM_APP_FOLDER.test(folder),
  );
  if (gameFolder !== undefined) return tidy(gameFolder);
  const stem = fileName.replace(/\.[^.]+$/u, '');
  const fromName = RECORDER_NAME.exec(stem)?.[1];
  if (fromName !== undefined && !DATE_FOLDER.test(fromName)) {
    const label = tidy(fromName);
    if (label !== undefined && !/^\d+$/u.test(label)) return label;
  }
  return steamGame(all.slice(0, -1));
}
