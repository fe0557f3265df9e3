/**
 * The `gameclips-sandbox` command: the sandbox as a standalone service for title developers and
 * testers. Prints one line when ready and stops cleanly on SIGINT or SIGTERM.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './index';
import { isLoopbackHost, type SandboxOptions } from './options';

/** Where data goes when --data is not given: a folder in the current directory, easy to find. */
export const DEFAULT_DATA_DIR = 'gameclips-sandbox-data';

export const USAGE = `Usage: gameclips-sandbox [options]

  --host <address>           address to listen on (default 127.0.0.1); anything but
                             loopback also needs --public
  --public                   allow a --host other machines can reach (prints a warning)
  --port <n>                 port to listen on; 0 picks a free one (default 0)
  --data <dir>               data folder (default ./${DEFAULT_DATA_DIR})
  --strict                   strict protocol mode (version header required, no aliases)
  --device-types <a,b,...>   DeviceTypes allowed to reserve (default consoles plus Win32)
  --state-delay-ms <n>       time each state after the commit lasts (default 0)
  --reservation-ttl-ms <n>   reservation lifetime (default 86400000, 24 h)
  --rate-limit <burst,sustain>  turn on fine-grained rate limiting (15 s and 300 s windows)
  --ffmpeg <path>            ffmpeg used for thumbnails (default: ffmpeg on PATH)
  --no-ffmpeg                render no thumbnails
  --admin-secret <secret>    /sandbox/ admin routes need it in X-Sandbox-Admin-Secret
                             (default: open to callers on this machine)
  --allow-unsigned-tokens    accept unsigned test JWTs (alg none); default signed only
  --sink                     serve PUT /sandbox/sink, the benchmark reference (test use)
  --verbose                  log one line per request to stderr
  --help                     show this text
`;

function count(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`--${name} needs a whole number; got "${raw}".`);
  return Number(raw);
}

/** Turns command-line arguments into sandbox options; throws with a sentence on bad input. */
export function parseSandboxArgs(argv: readonly string[]): SandboxOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      strict: { type: 'boolean' },
      'device-types': { type: 'string' },
      'state-delay-ms': { type: 'string' },
      'reservation-ttl-ms': { type: 'string' },
      'rate-limit': { type: 'string' },
      ffmpeg: { type: 'string' },
      'no-ffmpeg': { type: 'boolean' },
      verbose: { type: 'boolean' },
      public: { type: 'boolean' },
      'admin-secret': { type: 'string' },
      'allow-unsigned-tokens': { type: 'boolean' },
      sink: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const delay = count('state-delay-ms', values['state-delay-ms']);
  let rateLimit: SandboxOptions['rateLimit'];
  if (values['rate-limit'] !== undefined) {
    const match = /^(\d+),(\d+)$/.exec(values['rate-limit']);
    if (!match) throw new Error('--rate-limit needs two numbers: <burst>,<sustain>, e.g. 30,300.');
    rateLimit = { burst: Number(match[1]), sustain: Number(match[2]) };
  }
  const ttl = count('reservation-ttl-ms', values['reservation-ttl-ms']);
  const port = count('port', values.port);
  return {
    dataDir: path.resolve(values.data ?? DEFAULT_DATA_DIR),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.strict ? { strict: true } : {}),
    ...(values['device-types'] !== undefined
      ? {
          deviceTypeAllowList: values['device-types']
            .split(',')
            .map((type) => type.trim())
            .filter((type) => type.length > 0),
        }
      : {}),
    ...(delay !== undefined
      ? {
          stateDelaysMs: {
            Uploaded: delay,
            Processing: delay,
            Processed: delay,
            Publishing: delay,
          },
        }
      : {}),
    ...(ttl !== undefined ? { reservationTtlMs: ttl } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    ...(values['no-ffmpeg']
      ? { ffmpegPath: null }
      : values.ffmpeg
        ? { ffmpegPath: values.ffmpeg }
        : {}),
    ...(values.verbose ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
    ...(values.public ? { public: true } : {}),
    ...(values['admin-secret'] !== undefined ? { adminSecret: values['admin-secret'] } : {}),
    ...(values['allow-unsigned-tokens'] ? { allowUnsignedTokens: true } : {}),
    ...(values.sink ? { sink: true } : {}),
  };
}

/**
 * Runs the sandbox until SIGINT or SIGTERM: prints
 * `GameClips sandbox listening on http://<host>:<port>` once ready, resolves after a clean stop.
 */
export async function runSandboxCli(argv: string[]): Promise<void> {
  const options = parseSandboxArgs(argv);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (options.public && !isLoopbackHost(options.host ?? '127.0.0.1'))
    process.stderr.write(
      `gameclips-sandbox: WARNING: listening on ${options.host}, reachable from other machines. Anyone who can reach it can reserve and upload clips${options.adminSecret === undefined ? '; admin routes still answer only this machine' : ''}.\n`,
    );
  const sandbox = await startSandbox(options);
  process.stdout.write(`GameClips sandbox listening on ${sandbox.baseUrl}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
}
