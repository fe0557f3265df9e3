/**
 * "Export diagnostics": one zip a user can attach to a report (VS Code's "Report issue", OBS's log
 * upload, without the upload). Shared by Help > Export Diagnostics and the headless
 * `gameclips-companion diagnostics <out.zip>`.
 *
 * What goes in: recent logs, versions, OS, settings (nothing secret), ledger counts by state,
 * each watched folder's status, the service origin; captions only when asked. What never goes
 * in: the account token file, any Authorization value (redacted in logs, and every known secret
 * scrubbed from every file's text as a last guard).
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { constants } from 'node:fs';
import { access, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { redactSecrets } from '../util/logger';
import { LOG_FILE_NAME } from '../util/logger';

/** At most this much of each log file (its end: the newest lines). */
export const LOG_TAIL_BYTES = 2 * 1024 * 1024;

export interface DiagnosticsInput {
  /** The app's data folder (userData): settings.json and ledger/. */
  readonly dataDir: string;
  /** Where the logs are (app.getPath('logs'), or the data folder's logs/ for the CLI). */
  readonly logsDir: string;
  readonly appVersion: string;
  /** process.versions in the app (electron, chrome, node), or Node's in the CLI. */
  readonly versions: Readonly<Record<string, string | undefined>>;
  readonly includeCaptions: boolean;
  /** Values to scrub wherever they appear (the token, if the caller knows it). */
  readonly secrets?: readonly string[];
  readonly now?: Date;
}

export interface DiagnosticsSummary {
  readonly files: readonly string[];
  readonly bytes: number;
}

/** Setting keys whose values are never exported, at any depth. */
const SECRET_KEY = /token|authori[sz]ation|secret|password|cookie/iu;

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) =>
        SECRET_KEY.test(key) ? [key, '<removed>'] : [key, withoutSecrets(inner)],
      ),
    );
  return value;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

async function tail(file: string, bytes: number): Promise<string | undefined> {
  try {
    const data = await readFile(file);
    return data.subarray(Math.max(0, data.length - bytes)).toString('utf8');
  } catch {
    return undefined;
  }
}

async function folderStatus(folder: string): Promise<Record<string, unknown>> {
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) return { folder, status: 'not-a-folder' };
    await access(folder, constants.R_OK);
    return { folder, status: 'readable' };
  } catch (error) {
    return { folder, status: 'unreachable', code: (error as NodeJS.ErrnoException).code };
  }
}

function originOf(baseUrl: unknown): string | undefined {
  if (typeof baseUrl !== 'string') return undefined;
  try {
    return new URL(baseUrl).origin;
  } catch {
    return '<not a URL>';
  }
}

/**
 * The values to scrub for one Authorization value: the whole header and the token in it
 * ("XBL3.0 x=<userhash>;<token>"), so a token logged on its own is caught too.
 */
export function secretsOfAuthorization(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  const token = value.includes(';') ? value.slice(value.lastIndexOf(';') + 1) : value;
  const bare = value.replace(/^XBL3\.0\s+x=/iu, '');
  return [...new Set([value, token, bare])].filter((secret) => secret.length >= 8);
}

/** Builds the zip's files: name -> text. Exported for tests that look inside without a zip. */
export async function diagnosticsFiles(input: DiagnosticsInput): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const now = input.now ?? new Date();

  files.set(
    'about.json',
    json({
      exportedAt: now.toISOString(),
      app: input.appVersion,
      versions: input.versions,
      os: {
        platform: process.platform,
        arch: process.arch,
        release: os.release(),
        version: typeof os.version === 'function' ? os.version() : undefined,
        memoryMiB: Math.round(os.totalmem() / 1024 / 1024),
        cpus: os.cpus().length,
        locale: Intl.DateTimeFormat().resolvedOptions().locale,
      },
    }),
  );

  const settings = (await readJson(path.join(input.dataDir, 'settings.json'))) as
    { service?: { kind?: unknown; baseUrl?: unknown }; watchedFolders?: unknown } | undefined;
  files.set('settings.json', json(settings === undefined ? null : withoutSecrets(settings)));
  files.set(
    'service.json',
    json({
      kind: settings?.service?.kind ?? 'sandbox',
      origin: originOf(settings?.service?.baseUrl) ?? 'built-in sandbox (loopback)',
    }),
  );

  const folders = Array.isArray(settings?.watchedFolders)
    ? settings.watchedFolders.filter((folder): folder is string => typeof folder === 'string')
    : [];
  files.set('intake.json', json(await Promise.all(folders.map(folderStatus))));

  // The ledger: one JSON record per clip. Counts by state; captions only when asked.
  const ledgerDir = path.join(input.dataDir, 'ledger');
  const names = (await readdir(ledgerDir).catch(() => [] as string[])).filter((name) =>
    name.endsWith('.json'),
  );
  const byState: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const captions: Array<{ id: string; caption: string }> = [];
  for (const name of names) {
    const record = (await readJson(path.join(ledgerDir, name))) as
      | { id?: string; state?: string; draft?: { caption?: string }; error?: { code?: string } }
      | undefined;
    const state = typeof record?.state === 'string' ? record.state : 'unreadable';
    byState[state] = (byState[state] ?? 0) + 1;
    if (record?.error?.code) errors[record.error.code] = (errors[record.error.code] ?? 0) + 1;
    if (input.includeCaptions && record?.id && typeof record.draft?.caption === 'string')
      captions.push({ id: record.id, caption: record.draft.caption });
  }
  files.set('ledger.json', json({ clips: names.length, byState, errorsByCode: errors }));
  if (input.includeCaptions) files.set('captions.json', json(captions));

  const logNames = (await readdir(input.logsDir).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.log'))
    .sort((a, b) => (a === LOG_FILE_NAME ? -1 : b === LOG_FILE_NAME ? 1 : a.localeCompare(b)));
  for (const name of logNames.slice(0, 6)) {
    const text = await tail(path.join(input.logsDir, name), LOG_TAIL_BYTES);
    if (text !== undefined) files.set(`logs/${name}`, text);
  }

  // Last guard: whatever slipped into any file, no Authorization value or known secret leaves.
  const secrets = (input.secrets ?? []).filter((secret) => secret.length >= 4);
  for (const [name, text] of files) {
    let clean = redactSecrets(text);
    for (const secret of secrets) clean = clean.split(secret).join('<redacted>');
    files.set(name, clean);
  }
  return files;
}

/** Writes the zip to `outFile`. */
export async function writeDiagnosticsZip(
  outFile: string,
  input: DiagnosticsInput,
): Promise<DiagnosticsSummary> {
  const files = await diagnosticsFiles(input);
  const zippable: Zippable = {};
  const mtime = input.now ?? new Date();
  for (const [name, text] of files) zippable[name] = [strToU8(text), { mtime }];
  const zip = zipSync(zippable, { level: 6 });
  await writeFile(outFile, zip);
  return { files: [...files.keys()], bytes: zip.byteLength };
}
