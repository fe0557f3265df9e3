/**
 * The installer configuration for the three systems, read from electron-builder.yml: targets,
 * fuses, "open with" for every clip extension the intake accepts, and icons that exist in the
 * sizes and formats each target needs (checked by their bytes, not their names).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CLIP_EXTENSIONS } from '../../app/clip/file-types';

const root = path.resolve(__dirname, '../..');

interface BuilderConfig {
  appId: string;
  files: string[];
  electronFuses: Record<string, boolean>;
  fileAssociations: Array<{ ext: string | string[]; mimeType?: string; role?: string }>;
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

async function config(): Promise<BuilderConfig> {
  return load(await readFile(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('builds AppImage and deb, nsis, and dmg under one app id', async () => {
    const c = await config();
    expect(c.appId).toBe('app.gameclips.companion');
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.win.target).toEqual(['nsis']);
    // electron-updater needs the zip on macOS (issue 17 item 5).
    expect(c.mac.target).toEqual(['dmg', 'zip']);
  });

  it('sets every fuse S1 asks for', async () => {
    expect((await config()).electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('keeps a separate Playwright test build that differs only by the inspect fuse', async () => {
    const shipped = (await config()).electronFuses;
    const e2e = load(
      await readFile(path.join(root, 'electron-builder.e2e.yml'), 'utf8'),
    ) as BuilderConfig & { extends: string; directories: { output: string } };
    expect(e2e.extends).toBe('./electron-builder.yml');
    expect(e2e.directories.output).not.toBe('release');
    expect(e2e.electronFuses).toEqual({ ...shipped, enableNodeCliInspectArguments: true });
  });

  it('offers "open with" for exactly the extensions the intake accepts', async () => {
    const extensions = (await config()).fileAssociations
      .flatMap((association) => association.ext)
      .map((ext) => `.${ext}`)
      .sort();
    expect(extensions).toEqual([...CLIP_EXTENSIONS].sort());
    for (const association of (await config()).fileAssociations) {
      expect(association.mimeType).toMatch(/^video\//u);
      expect(association.role).toBe('Viewer');
    }
  });

  it('points every target at icons of the right format and size', async () => {
    const c = await config();
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = await readFile(path.join(root, c.linux.icon, `${size}x${size}.png`));
      expect(pngSize(png)).toEqual({ width: size, height: size });
    }
    const ico = await readFile(path.join(root, c.win.icon));
    // ICONDIR: reserved 0, type 1 (icon), and a 256 px entry (stored as 0) for modern Windows.
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const entries = ico.readUInt16LE(4);
    const widths = Array.from({ length: entries }, (_, i) => ico[6 + i * 16] ?? -1);
    expect(widths).toContain(0);
    const icns = await readFile(path.join(root, c.mac.icon));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    for (const state of ['idle', 'working', 'attention']) {
      expect(
        pngSize(await readFile(path.join(root, `assets/icons/tray/tray-${state}.png`))),
      ).toEqual({
        width: 16,
        height: 16,
      });
      for (const variant of ['', 'Template'])
        expect(
          pngSize(
            await readFile(path.join(root, `assets/icons/tray/tray-${state}${variant}@2x.png`)),
          ),
        ).toEqual({ width: 32, height: 32 });
    }
  });
});
