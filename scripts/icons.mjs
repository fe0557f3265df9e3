// Renders every icon the app and its installers need from the one source drawing
// (assets/icons/source/icon.svg) with Debian's Chromium through Playwright, then packs the
// Windows .ico and macOS .icns with png2icons (pure JavaScript, no native module).
//
//   node scripts/icons.mjs          writes assets/icons/{png/NxN.png,icon.png,icon.ico,icon.icns,tray/*}
//
// The outputs are committed: packaging never needs a browser.
import { chromium } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import png2icons from 'png2icons';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const iconsDir = path.join(root, 'assets/icons');
const source = await readFile(path.join(iconsDir, 'source/icon.svg'), 'utf8');

/** Linux wants a set of sizes (hicolor theme); 1024 feeds the .icns and .ico packers. */
const APP_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
/** Tray icons: 16 and 32 (the @2x for high-density screens), as Electron picks by file name. */
const TRAY_STATES = {
  idle: ['plate', 'glyph'],
  working: ['plate', 'glyph', 'working'],
  attention: ['plate', 'glyph', 'attention'],
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  /** One PNG of the drawing at `size` px, showing only the listed parts. */
  async function render(size, parts, { monochrome = false } = {}) {
    await page.setViewportSize({ width: size, height: size });
    // Monochrome: badges drawn as outlines (their colour said the state; now their sign does),
    // then every painted pixel black, so only the alpha channel carries the drawing.
    const ink = monochrome
      ? '[data-part=working] circle,[data-part=attention] circle:first-child{fill:none}svg{filter:brightness(0)}'
      : '';
    const css = `html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}
      [data-part]{display:none}${parts.map((part) => `[data-part="${part}"]{display:inline}`).join('')}${ink}`;
    await page.setContent(`<!doctype html><style>${css}</style>${source}`);
    return page.locator('svg').screenshot({ omitBackground: true });
  }

  await mkdir(path.join(iconsDir, 'png'), { recursive: true });
  await mkdir(path.join(iconsDir, 'tray'), { recursive: true });
  const appParts = ['plate', 'glyph', 'record'];
  let largest;
  for (const size of APP_SIZES) {
    const png = await render(size, appParts);
    await writeFile(path.join(iconsDir, 'png', `${size}x${size}.png`), png);
    largest = png;
  }
  await writeFile(path.join(iconsDir, 'icon.png'), largest);
  const ico = png2icons.createICO(largest, png2icons.BICUBIC2, 0, true, true);
  const icns = png2icons.createICNS(largest, png2icons.BICUBIC2, 0);
  if (!ico || !icns) throw new Error('png2icons could not pack the icons');
  await writeFile(path.join(iconsDir, 'icon.ico'), ico);
  await writeFile(path.join(iconsDir, 'icon.icns'), icns);
  for (const [state, parts] of Object.entries(TRAY_STATES)) {
    await writeFile(path.join(iconsDir, 'tray', `tray-${state}.png`), await render(16, parts));
    await writeFile(path.join(iconsDir, 'tray', `tray-${state}@2x.png`), await render(32, parts));
    // macOS menu-bar icons are "template" images: black shapes the system tints for light and
    // dark bars. No plate; the state shows as the badge's shape.
    const template = parts.filter((part) => part !== 'plate');
    await writeFile(
      path.join(iconsDir, 'tray', `tray-${state}Template.png`),
      await render(16, template, { monochrome: true }),
    );
    await writeFile(
      path.join(iconsDir, 'tray', `tray-${state}Template@2x.png`),
      await render(32, template, { monochrome: true }),
    );
  }
  console.log(`icons written to ${path.relative(root, iconsDir)}`);
} finally {
  await browser.close();
}
