/**
 * S1 for every window, not just the one we remember: every `new BrowserWindow(` in main/ is found
 * and must be built from mainWindowOptions(), no other file may set webPreferences, and those
 * options are the hardened ones. (test/e2e/security.spec.ts checks what the built app passed.)
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../main/window-options';

const mainDir = path.resolve(__dirname, '../../../main');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The text of the call's argument list: from the open parenthesis to its match. */
function argumentsOf(text: string, openIndex: number): string {
  let depth = 0;
  for (let i = openIndex; i < text.length; i++) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')' && --depth === 0) return text.slice(openIndex + 1, i);
  }
  throw new Error('unbalanced call');
}

describe('every BrowserWindow (S1)', () => {
  it('is built from mainWindowOptions, and nothing else sets webPreferences', async () => {
    const windows: string[] = [];
    for (const file of await sources(mainDir)) {
      const text = await readFile(file, 'utf8');
      const relative = path.relative(mainDir, file);
      for (const match of text.matchAll(/new\s+BrowserWindow\s*\(/gu)) {
        const args = argumentsOf(text, (match.index ?? 0) + match[0].length - 1);
        windows.push(relative);
        expect(args, `${relative}: a window not built from mainWindowOptions()`).toMatch(
          /^\s*\{\s*\.\.\.mainWindowOptions\(/u,
        );
        // Spread after the hardened options, nothing may replace webPreferences.
        expect(args, relative).not.toContain('webPreferences');
      }
      if (relative !== 'window-options.ts')
        expect(text, `${relative} sets webPreferences`).not.toMatch(/webPreferences\s*:/u);
    }
    expect(windows.length).toBeGreaterThan(0);
  });

  it('has the hardened options', () => {
    const options = mainWindowOptions('/dist/preload/index.js');
    expect(options.webPreferences).toEqual({
      preload: '/dist/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
    });
    expect(options.show).toBe(false);
  });
});
