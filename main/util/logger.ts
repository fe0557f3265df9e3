/**
 * The logging port. Main's services log through this, never to the console directly, so the
 * headless CLI can keep stdout for its JSON lines and nothing sensitive is printed by accident.
 */
import { redactSecrets } from '../../app/redact';
import electronLog from 'electron-log/node';
import { join as pathJoin } from 'node:path';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// The same redaction as every stored or shown error detail (app/errors.ts errorView).
export { redactSecrets } from '../../app/redact';

/** Writes one line per entry to a stream (stderr by default), redacting secrets. */
export function createStreamLogger(
  options: { level?: Level; write?: (line: string) => void } = {},
): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const log = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < threshold) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    write(redactSecrets(`${new Date().toISOString()} ${level.padEnd(5)} ${message}${suffix}\n`));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Where the app's log lives in its logs folder, and how big it grows before it is rotated. */
export const LOG_FILE_NAME = 'main.log';
export const LOG_MAX_BYTES = 2 * 1024 * 1024;

export interface FileLogger extends Logger {
  /** The current log file; the one before it is `main.old.log` beside it. */
  readonly file: string;
}

let fileLoggers = 0;

/**
 * Writes each line, redacted, to `<dir>/main.log` through electron-log's file transport, which
 * rotates by size (the full file becomes `main.old.log`); optionally to stderr too. electron-log's
 * Node entry is used so the same code serves the app, the headless CLI and tests.
 */
export function createFileLogger(options: {
  readonly dir: string;
  readonly level?: Level;
  readonly maxBytes?: number;
  /** Also to stderr (development builds, the CLI). */
  readonly stderr?: boolean;
  readonly write?: (line: string) => void;
}): FileLogger {
  const log = electronLog.create({ logId: `gameclips-file-${++fileLoggers}` });
  const file = pathJoin(options.dir, LOG_FILE_NAME);
  log.transports.console.level = false;
  log.transports.file.level = 'silly';
  log.transports.file.format = '{text}';
  log.transports.file.maxSize = options.maxBytes ?? LOG_MAX_BYTES;
  log.transports.file.resolvePathFn = () => file;
  const stderr = options.stderr
    ? (options.write ?? ((line: string) => process.stderr.write(line)))
    : undefined;
  const logger = createStreamLogger({
    level: options.level ?? 'info',
    write: (line) => {
      // The line is already redacted; electron-log adds the newline back.
      log.info(line.endsWith('\n') ? line.slice(0, -1) : line);
      stderr?.(line);
    },
  });
  return { ...logger, file };
}

/**
 * Logs what would otherwise vanish: an exception nobody caught and a rejection nobody handled.
 * Returns a function that removes the handlers.
 */
export function logUncaught(logger: Logger, target: NodeJS.Process = process): () => void {
  const onException = (error: unknown) =>
    logger.error('uncaught exception', { error: describeError(error) });
  const onRejection = (reason: unknown) =>
    logger.error('unhandled rejection', { error: describeError(reason) });
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.removeListener('uncaughtException', onException);
    target.removeListener('unhandledRejection', onRejection);
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
