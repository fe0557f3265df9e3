/**
 * The headless CLI: the same pipeline as the app, without a window.
 *
 *   gameclips-companion watch <folder>... [--service sandbox|<base URL>] [--scid <scid>]
 *                                         [--data <dir>] [--upload] [--json]
 *   gameclips-companion register <file-or-folder>... [same options]
 *
 * `register` takes files through the same gate as watched folders, waits until each is reserved
 * or refused, prints what became of it, and exits: 0 if every file was accepted and reserved.
 *
 * With --json, stdout carries one JSON object per line ({ts, event, ...}) and nothing else; logs
 * go to stderr. The Authorization value for a custom service comes from GAMECLIPS_AUTHORIZATION,
 * never from an argument, so it stays out of shell history and process lists.
 */
import { gameLabelFor } from '../../app/clip/game-label';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ClipRecord } from '../../app/clip/clip';
import { escapeDisplayName } from '../../app/clip/display-name';
import { describeRootStatus } from '../../app/intake/root-status';
import { reasonWord } from '../../app/intake/register-outcome';
import { startCompanion, type Companion, type ServiceChoice } from '../core/companion';
import { shutdown } from '../core/shutdown';
import { DataFolderHeldError } from '../instance/data-folder';
import { askOwner, HandOverError } from '../instance/hand-over';
import { registerAndReport, type RegisterReport } from '../instance/register-report';
import { ProgressBatcher } from '../pipeline/upload-progress';
import { createStreamLogger } from '../util/logger';
import { defaultUserDataDir, serviceDataDir } from '../util/paths';
import { APP_VERSION } from '../util/version';
import { runDiagnosticsCli } from './diagnostics';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

const USAGE = `Usage: gameclips-companion watch <folder>... [options]
       gameclips-companion register <file-or-folder>... [options]
       gameclips-companion diagnostics <out.zip> [--data <dir>] [--captions]

watch:    watches the folders and reserves every finished clip on GameClips; with --upload,
          uploads each one and follows it until it is published.
register: reserves the named clips (a folder: the clips inside it), then exits;
          exit code 0 when every file was reserved, 1 with the reasons otherwise.

Options:
  --service sandbox|<url>  the built-in GameClips sandbox (default) or a GameClips base URL
  --scid <scid>            the service configuration id to reserve under (required with a URL)
  --data <dir>             where the clip ledger lives (default: the app's data folder)
  --upload                 upload each clip of these folders as soon as it is reserved, and follow
                           it to Published; clips added in the window or found in other folders
                           that share the ledger are never uploaded by this (send those yourself)
  --json                   print one JSON object per line on stdout
  --verbose                more detail on stderr
  -h, --help               show this help
  -v, --version            show the version

Environment:
  GAMECLIPS_AUTHORIZATION  the Authorization header value for a custom service,
                           e.g. "XBL3.0 x=<userhash>;<token>"
`;

export class UsageError extends Error {}

interface ParsedCommand {
  readonly command: 'watch' | 'register';
  /** Folders to watch, or files and folders to register. */
  readonly folders: readonly string[];
  readonly service: string;
  readonly scid?: string;
  readonly dataDir: string;
  /** Where the built-in service keeps its data: as the app does (main/util/paths.ts). */
  readonly serviceDataDir: string;
  readonly upload: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
}

/** Parses argv (without node and script); throws UsageError with a sentence for bad input. */
export function parseCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ParsedCommand | 'help' | 'version' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        service: { type: 'string', default: 'sandbox' },
        scid: { type: 'string' },
        data: { type: 'string' },
        upload: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.version) return 'version';
  const [command, ...folders] = positionals;
  if (command !== 'watch' && command !== 'register')
    throw new UsageError(
      command === undefined
        ? 'Say what to do: gameclips-companion watch <folder>... or register <file>...'
        : `Unknown command "${command}"; the commands are "watch" and "register".`,
    );
  if (folders.length === 0)
    throw new UsageError(
      command === 'watch'
        ? 'Name at least one folder to watch.'
        : 'Name at least one file or folder to register.',
    );
  if (values.service !== 'sandbox') {
    let url: URL;
    try {
      url = new URL(values.service);
    } catch {
      throw new UsageError(`--service must be "sandbox" or a URL; "${values.service}" is neither.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new UsageError('--service must be an http or https URL.');
    if (!values.scid) throw new UsageError('--scid is required with a service URL.');
    if (!env.GAMECLIPS_AUTHORIZATION)
      throw new UsageError(
        'Set GAMECLIPS_AUTHORIZATION to the Authorization header value (e.g. "XBL3.0 x=<userhash>;<token>") to use a service URL.',
      );
  }
  if (
    values.scid !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu.test(values.scid)
  ) {
    throw new UsageError(
      `--scid must be a GUID such as d1adc8aa-0a31-4407-90f2-7e9b54b0347c; "${values.scid}" is not.`,
    );
  }
  return {
    command,
    folders: folders.map((folder) => path.resolve(folder)),
    service: values.service,
    ...(values.scid !== undefined ? { scid: values.scid } : {}),
    dataDir: path.resolve(values.data ?? defaultUserDataDir(env)),
    serviceDataDir: serviceDataDir(path.resolve(values.data ?? defaultUserDataDir(env)), env),
    upload: values.upload,
    json: values.json,
    verbose: values.verbose,
  };
}

/** Runs the CLI until SIGINT/SIGTERM; resolves with the exit code. */
export async function runCompanionCli(
  argv: readonly string[],
  io: CliIo,
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  if (argv[0] === 'diagnostics') return runDiagnosticsCli(argv.slice(1), io);
  let command;
  try {
    command = parseCommand(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`gameclips-companion: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command === 'version') {
    io.stdout(`${APP_VERSION}\n`);
    return 0;
  }
  for (const folder of command.folders) {
    const info = await stat(folder).catch(() => undefined);
    if (command.command === 'watch' && !info?.isDirectory()) {
      io.stderr(`gameclips-companion: ${folder} is not a folder.\n`);
      return 2;
    }
    if (command.command === 'register' && !info) {
      io.stderr(`gameclips-companion: ${folder} does not exist.\n`);
      return 2;
    }
  }

  const emit = (event: string, fields: Record<string, unknown>, human: string) => {
    if (command.json)
      io.stdout(`${JSON.stringify({ ts: new Date().toISOString(), event, ...fields })}\n`);
    // `register` prints each file once, with its reason, in its report (issue 15 item 10).
    else if (
      command.command !== 'register' ||
      /^(register|storage|ledger)\./u.test(event) ||
      event === 'stopped'
    )
      io.stdout(`${human}\n`);
  };
  const show = (record: ClipRecord) => escapeDisplayName(record.file.path);
  const reason = (record: ClipRecord) => reasonWord(record.error?.code);
  const problem = (record: ClipRecord) =>
    [record.error?.message, record.error?.detail].filter(Boolean).join(' ');

  const logger = createStreamLogger({
    level: command.verbose ? 'debug' : 'warn',
    write: io.stderr,
  });
  const service: ServiceChoice =
    command.service === 'sandbox'
      ? { kind: 'sandbox' }
      : {
          kind: 'custom',
          baseUrl: command.service,
          scid: command.scid as string,
          // An environment variable cannot change under a running process: no refresh after 401.
          account: {
            authorization: () => Promise.resolve(io.env.GAMECLIPS_AUTHORIZATION),
            refresh: () => Promise.resolve(false),
          },
        };

  const shownRoots = new Map<string, string>();
  const gameClipIdOf = (record: ClipRecord) => record.reservation?.gameClipId;
  // Progress lines at most once a second per clip: enough to watch, not enough to flood a log.
  const progress = new ProgressBatcher(1000, (items) => {
    for (const item of items) {
      const gameClipId = companionRef?.ledger.get(item.clipId)?.reservation?.gameClipId;
      emit(
        'upload.progress',
        { gameClipId, sentBytes: item.sentBytes, totalBytes: item.totalBytes },
        `uploading ${gameClipId}  ${Math.floor((item.sentBytes / Math.max(1, item.totalBytes)) * 100)} %`,
      );
    }
  });
  let companionRef: Companion | undefined;

  let companion: Companion;
  try {
    companion = await startCompanion({
      dataDir: command.dataDir,
      // The same place the app keeps the built-in service's data in (machine-local on Windows).
      serviceDataDir: command.serviceDataDir,
      service,
      watchedFolders: command.command === 'watch' ? command.folders : [],
      // Named files get an answer within a minute: one that stays unfinished that long is reported.
      ...(command.command === 'register' ? { intakeTuning: { incompleteAfterMs: 60_000 } } : {}),
      mode: 'headless',
      logger,
      initialDraft: (filePath) => {
        const game = gameLabelFor(filePath, { roots: command.folders, folderLabels: {} });
        return { caption: '', visibility: 'Owner', ...(game !== undefined ? { game } : {}) };
      },
      savedByUser: () => false,
      // --upload means at once; otherwise clips are reserved and wait in the ledger. It releases
      // only clips from the folders named here: never one added in the window (origin `drop`)
      // or found in another folder that shares the ledger, which the user may still be reviewing.
      uploadSettings: () => ({
        sendPolicy: command.upload ? { kind: 'immediate' } : { kind: 'review' },
        parallelBlocks: 4,
        bandwidthCapBytesPerSecond: 0,
        releases: (record) =>
          record.origin !== 'drop' && isInsideAny(record.file.path, command.folders),
      }),
      events: {
        uploadProgress: (clipId, sentBytes, totalBytes, detail) =>
          progress.report(clipId, sentBytes, totalBytes, detail),
        uploadCompleted: (record) => {
          progress.forget(record.id);
          emit(
            'upload.completed',
            { gameClipId: gameClipIdOf(record) },
            `uploaded  ${show(record)}  ->  ${gameClipIdOf(record)}`,
          );
        },
        published: (record) =>
          emit(
            'clip.published',
            { gameClipId: gameClipIdOf(record) },
            `published ${show(record)}  ->  ${gameClipIdOf(record)}`,
          ),
        failed: (record) => {
          progress.forget(record.id);
          emit(
            'clip.failed',
            {
              gameClipId: gameClipIdOf(record),
              reason: reason(record),
              code: record.error?.code,
              message: problem(record),
            },
            `failed    ${show(record)}: ${problem(record)}`,
          );
        },
        missing: (record) => {
          progress.forget(record.id);
          emit(
            'clip.missing',
            { path: record.file.path, gameClipId: gameClipIdOf(record) },
            `missing   ${show(record)}: ${problem(record)}`,
          );
        },
        fileChanged: (record) => {
          progress.forget(record.id);
          emit(
            'clip.changed',
            { path: record.file.path },
            `changed   ${show(record)}: checking it again`,
          );
        },
        detected: (record) =>
          emit('clip.detected', { path: record.file.path }, `detected  ${show(record)}`),
        reserved: (record) =>
          emit(
            'clip.reserved',
            { path: record.file.path, gameClipId: record.reservation?.gameClipId },
            `reserved  ${show(record)}  ->  ${record.reservation?.gameClipId}`,
          ),
        rejected: (record, duplicateOf) =>
          emit(
            'clip.rejected',
            {
              path: record.file.path,
              reason: reason(record),
              code: record.error?.code,
              message: problem(record),
              ...(duplicateOf
                ? { duplicateOf: { path: duplicateOf.file.path, clipId: duplicateOf.id } }
                : {}),
            },
            `rejected  ${show(record)}: ${problem(record)}`,
          ),
        incomplete: (record) =>
          emit(
            'clip.incomplete',
            { path: record.file.path, reason: 'incomplete', message: problem(record) },
            `unfinished ${show(record)}: ${problem(record)}`,
          ),
        blocked: (record) =>
          emit(
            'clip.blocked',
            {
              path: record.file.path,
              reason: reason(record),
              code: record.error?.code,
              message: problem(record),
            },
            `blocked   ${show(record)}: ${problem(record)}`,
          ),
        retrying: (record, delayMs) =>
          emit(
            'clip.retrying',
            { path: record.file.path, reason: reason(record), delayMs },
            `retrying  ${show(record)} in ${Math.round(delayMs / 1000)} s: ${problem(record)}`,
          ),
        // A full or read-only disk pauses everything; the line says why and when it resumes.
        storageStatusChanged: (status) =>
          status.state === 'paused'
            ? emit(
                'storage.paused',
                {
                  code: status.code,
                  message: status.message,
                  area: status.area,
                  detail: status.detail,
                },
                `paused    ${status.message}`,
              )
            : emit('storage.resumed', {}, "resumed   the app's data can be written again"),
        intakeStatusChanged: (status) => {
          if (command.command !== 'watch') return;
          // Only what changed: a periodic scan that finds nothing new prints nothing.
          const changed = (status.roots ?? []).filter(
            (root) => shownRoots.get(root.key) !== `${root.state}|${root.message ?? ''}`,
          );
          if (changed.length === 0 && status.state !== 'error') return;
          for (const root of changed)
            shownRoots.set(root.key, `${root.state}|${root.message ?? ''}`);
          if (command.json) {
            emit('intake.status', { ...status }, '');
            if (status.state === 'error') emit('intake.error', { message: status.message }, '');
          } else {
            for (const root of changed) io.stdout(`${describeRootStatus(root)}\n`);
          }
        },
      },
    });
  } catch (error) {
    if (error instanceof DataFolderHeldError) {
      // One writer per ledger: the files go to the process that holds the folder.
      if (command.command === 'register')
        return handOverRegister(command.dataDir, command.folders, emit, io);
      io.stderr(`gameclips-companion: ${error.message}\n`);
      return 1;
    }
    io.stderr(`gameclips-companion: could not start: ${(error as Error).message}\n`);
    return 1;
  }
  companionRef = companion;
  const recovery = companion.ledger.recovery();
  if (recovery.damaged.length > 0 || recovery.rebuilt.length > 0)
    emit(
      'ledger.recovered',
      {
        damaged: recovery.damaged.length,
        rebuilt: recovery.rebuilt.length,
        unrecoverable: recovery.unrecoverable.length,
        damagedFolder: recovery.damagedFolder,
      },
      `ledger    ${recovery.damaged.length} damaged record(s) set aside in ${recovery.damagedFolder}; ${recovery.rebuilt.length} rebuilt from the intent journal`,
    );
  if (command.command === 'register') {
    const report = await registerAndWait(companion, command.folders, signals);
    await companion.stop();
    return printReport(report, emit);
  }
  emit(
    'ready',
    {
      folders: command.folders,
      service: companion.service.kind,
      baseUrl: companion.service.baseUrl,
      dataDir: command.dataDir,
    },
    `watching ${command.folders.join(', ')} (service: ${companion.service.kind === 'sandbox' ? 'built-in sandbox' : companion.service.baseUrl}); press Ctrl+C to stop`,
  );

  // Runs until told to stop: a deleted folder closes its watches, and with nothing else pending
  // Node would end the process silently while the folder is waited for.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    signals.once('SIGINT', stop);
    signals.once('SIGTERM', stop);
  });
  clearInterval(keepAlive);
  try {
    await shutdown(
      [{ name: 'upload progress', stop: () => progress.stop() }, ...companion.shutdownParts()],
      logger,
    );
  } finally {
    emit('stopped', {}, 'stopped; the ledger is saved');
  }
  return 0;
}

type Emit = (event: string, fields: Record<string, unknown>, human: string) => void;

/** Whether a file lies inside one of these folders (or is one of the named paths). */
export function isInsideAny(filePath: string, folders: readonly string[]): boolean {
  return folders.some((folder) => {
    const relative = path.relative(folder, filePath);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
}

/**
 * Registers files through the intake and waits until each accepted clip is reserved or stopped;
 * Ctrl+C ends the wait and the report says what is pending.
 */
async function registerAndWait(
  companion: Companion,
  paths: readonly string[],
  signals: NodeJS.EventEmitter,
): Promise<RegisterReport> {
  const interrupted = new AbortController();
  const stop = () => interrupted.abort();
  signals.once('SIGINT', stop);
  signals.once('SIGTERM', stop);
  try {
    return await registerAndReport(companion, paths, interrupted.signal);
  } finally {
    signals.off('SIGINT', stop);
    signals.off('SIGTERM', stop);
  }
}

/** Each file once with its outcome and reason, then the summary last; answers the exit code. */
function printReport(report: RegisterReport, emit: Emit, handedTo?: number): number {
  for (const line of report.lines)
    emit(
      'register.result',
      { ...line },
      `${line.outcome.padEnd(9)} ${escapeDisplayName(line.path)}${line.reason ? ` (${line.reason})` : ''}${line.gameClipId ? `  ->  ${line.gameClipId}` : ''}`,
    );
  const summary = report.allReserved ? 'all clips reserved' : 'some files were not reserved';
  emit(
    'stopped',
    handedTo !== undefined ? { handedTo } : {},
    handedTo !== undefined
      ? `${summary} (by the GameClips Companion already running, process ${handedTo})`
      : summary,
  );
  return report.allReserved ? 0 : 1;
}

/** `register` while another process holds the data folder: hand the files to it. */
async function handOverRegister(
  dataDir: string,
  paths: readonly string[],
  emit: Emit,
  io: CliIo,
): Promise<number> {
  try {
    const answer = await askOwner(dataDir, { op: 'register', paths });
    if (answer.ok && answer.report) return printReport(answer.report, emit, answer.pid);
    io.stderr(
      `gameclips-companion: the GameClips Companion already running (process ${answer.pid}) refused the files: ${answer.ok ? 'no answer' : answer.error}\n`,
    );
    return 1;
  } catch (error) {
    if (!(error instanceof HandOverError)) throw error;
    io.stderr(
      `gameclips-companion: GameClips Companion is already running on this data folder, but it could not be reached (${error.message}). Quit it, or use --data for a separate folder.\n`,
    );
    return 1;
  }
}
