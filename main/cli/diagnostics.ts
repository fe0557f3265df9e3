/**
 * `gameclips-companion diagnostics <out.zip> [--data <dir>]`: the same bundle as the app's
 * Help > Export Diagnostics, for a data folder (main/diagnostics/bundle.ts). Logs are taken from
 * the data folder's logs/ (where the CLI writes them) and the OS logs folder of the app.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveLocale } from '../../app/i18n/translate';
import { translator } from '../../app/i18n/messages';
import { defaultUserDataDir } from '../util/paths';
import { APP_VERSION } from '../util/version';
import { secretsOfAuthorization, writeDiagnosticsZip } from '../diagnostics/bundle';
import type { CliIo } from './headless';

/** The CLI's language: LC_ALL / LC_MESSAGES / LANG, as POSIX tools read it. */
export function cliLanguages(env: NodeJS.ProcessEnv): string[] {
  const tag = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return tag === '' ? [] : [tag.split('.')[0]!.replace('_', '-')];
}

export async function runDiagnosticsCli(argv: readonly string[], io: CliIo): Promise<number> {
  const tr = translator(resolveLocale('system', cliLanguages(io.env)));
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        captions: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.stderr(
      `gameclips-companion: ${(error as Error).message}\n${tr.t('cli.diagnostics.usage')}\n`,
    );
    return 2;
  }
  const [out, ...rest] = parsed.positionals;
  if (out === undefined || rest.length > 0) {
    io.stderr(`${tr.t('cli.diagnostics.usage')}\n`);
    return 2;
  }
  const dataDir = path.resolve(parsed.values.data ?? defaultUserDataDir(io.env));
  if (!existsSync(dataDir)) {
    io.stderr(`gameclips-companion: ${tr.t('cli.diagnostics.noData', { path: dataDir })}\n`);
    return 1;
  }
  const outFile = path.resolve(out);
  const summary = await writeDiagnosticsZip(outFile, {
    dataDir,
    logsDir: path.join(dataDir, 'logs'),
    appVersion: APP_VERSION,
    versions: { node: process.versions.node, v8: process.versions.v8 },
    includeCaptions: parsed.values.captions,
    secrets: secretsOfAuthorization(io.env.GAMECLIPS_AUTHORIZATION),
  });
  io.stdout(
    `${tr.t('cli.diagnostics.written', { path: outFile, files: summary.files.length, bytes: summary.bytes })}\n`,
  );
  return 0;
}
