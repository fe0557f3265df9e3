/**
 * The logging port. Main's services log through this, never to the console directly, so the
 * headless CLI can keep stdout for its JSON lines and nothing sensitive is printed by accident.
 */
import { redactSecrets } from '../../app/redact';

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
