/** Entry of the `gameclips-sandbox` bin. */
import { runSandboxCli } from '../sandbox/cli';

void runSandboxCli(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `gameclips-sandbox: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
