/**
 * Issue 17 item 10: what uninstalling leaves behind. The deb's postrm (run here against a
 * temporary root) removes the autostart entries that start the deb's binary and nothing else;
 * the NSIS uninstaller include removes the login item and asks before removing the app's data.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTOSTART_FILE, autostartEntry } from '../../../main/desktop/login-item';
import { WINDOWS_APP_USER_MODEL_ID } from '../../../main/desktop/desktop';
import { tempDir } from '../../support/clips';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const DEB_BINARY = '/opt/GameClips Companion/gameclips-companion';

interface Config {
  deb: { afterRemove: string };
  nsis: { include: string };
}
async function config(): Promise<Config> {
  return load(await readFile(path.join(root, 'electron-builder.yml'), 'utf8')) as Config;
}

let home: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  home = await tempDir('gc-uninstall-');
});
afterEach(async () => {
  await home.cleanup();
});

async function entry(user: string, executable: string): Promise<string> {
  const folder = path.join(home.dir, 'home', user, '.config', 'autostart');
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, AUTOSTART_FILE);
  await writeFile(file, autostartEntry(executable));
  return file;
}

describe('the deb postrm', () => {
  it('removes the autostart entries of the deb binary on remove and purge, and no other', async () => {
    const script = path.join(root, (await config()).deb.afterRemove);
    const ada = await entry('ada', DEB_BINARY);
    const bob = await entry('bob', '/home/bob/Apps/GameClips-Companion.AppImage');
    const env = { ...process.env, GAMECLIPS_POSTRM_ROOT: home.dir };

    // An upgrade runs postrm too: nothing goes.
    await run('sh', [script, 'upgrade', '0.1.0'], { env });
    expect(existsSync(ada)).toBe(true);

    await run('sh', [script, 'remove'], { env });
    expect(existsSync(ada)).toBe(false);
    expect(existsSync(bob)).toBe(true);

    const carol = await entry('carol', DEB_BINARY);
    await run('sh', [script, 'purge'], { env });
    expect(existsSync(carol)).toBe(false);
    expect(existsSync(bob)).toBe(true);
  });
});

describe('the NSIS uninstaller', () => {
  it('always removes the login item and asks before removing app data', async () => {
    const script = await readFile(path.join(root, (await config()).nsis.include), 'utf8');
    const uninstall = script.slice(script.indexOf('!macro customUnInstall'));
    expect(uninstall).toContain(
      `DeleteRegValue HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "${WINDOWS_APP_USER_MODEL_ID}"`,
    );
    // The question is asked only when not updating, and defaults to keeping the data.
    const question = uninstall.indexOf('MessageBox MB_YESNO');
    expect(uninstall.indexOf('${ifNot} ${isUpdated}')).toBeLessThan(question);
    expect(uninstall.indexOf('DeleteRegValue')).toBeLessThan(uninstall.indexOf('${ifNot}'));
    expect(uninstall).toMatch(/MB_DEFBUTTON2[\s\S]*\/SD IDNO IDNO keepData/u);
    expect(uninstall).toContain('RMDir /r "$APPDATA\\GameClips Companion"');
  });
});
