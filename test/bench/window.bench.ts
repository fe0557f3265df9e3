/**
 * P5: the window with 5,000 pending clips. In Debian's Chromium through Playwright:
 * - first render as the window does it (P5): the whole app shell painted while main sends the list,
 *   then the 5,000 clips arrive; from their arrival to the list committed and laid out. Against the
 *   same rows rendered without virtualization in the same run (the reference: "unvirtualized lists
 *   mount every row");
 * - as references: the pending screen mounted cold into an empty page (the previous round's method:
 *   it also pays the page's first Intl formatters, which the window readies while the list is on
 *   its way), and the cost of those first formatters alone;
 * - rows in the DOM;
 * - caption keystroke -> painted frame with the list mounted and the editor open, against a plain
 *   uncontrolled text area in the same page;
 * - P8: first render with a game filter on, and search keystroke -> painted frame (each keystroke
 *   filters 5,000 clips), against the same plain text area.
 */
import { chromium, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../electron-stand-in/stand-in';
import { figure, type Benchmark } from './harness';

const CLIPS = 5_000;
const MOUNT_SAMPLES = 9;
const KEYSTROKES = 60;

interface BenchWindow {
  __bench: {
    mount(
      kind: 'virtual' | 'plain',
      count: number,
      openFirst: boolean,
      filtered?: boolean,
    ): {
      renderMs: number;
      rows: number;
    };
    mountWindow(
      count: number,
      openFirst: boolean,
      filtered?: boolean,
    ): Promise<{ renderMs: number; rows: number }>;
    firstFormatters(): number;
    armKeystrokes(selector: string): void;
    mountPlainField(): void;
  };
  __keystrokes: number[];
}

async function pageSource(root: string): Promise<string> {
  const bundle = await build({
    entryPoints: [path.join(root, 'test/bench/window-page.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome140',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const css = await readFile(path.join(root, 'renderer/styles.css'), 'utf8');
  // The window's own height: the list fills an 800-pixel-high window as in the app.
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body><script>${script.replaceAll('</script', '<\\/script')}</script></body></html>`;
}

async function freshPage(html: string, newPage: () => Promise<Page>): Promise<Page> {
  const page = await newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.setContent(html);
  return page;
}

/** What is typed into the search field: a query that narrows, then is erased, over and over. */
const SEARCH_KEYS = ['KeyC', 'KeyL', 'KeyI', 'KeyP', 'Space', 'Digit1', 'Digit2'];
const SEARCH_CYCLE = [...SEARCH_KEYS, ...SEARCH_KEYS.map(() => 'Backspace')];

async function typeInto(page: Page, selector: string, search = false): Promise<number[]> {
  await page.evaluate((s) => (window as unknown as BenchWindow).__bench.armKeystrokes(s), selector);
  for (let i = 0; i < KEYSTROKES; i += 1) {
    const key = search
      ? (SEARCH_CYCLE[i % SEARCH_CYCLE.length] ?? 'KeyA')
      : i % 10 === 9
        ? 'Space'
        : 'KeyA';
    await page.keyboard.press(key);
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))),
    );
  }
  await page.waitForFunction(
    (n) => (window as unknown as BenchWindow).__keystrokes.length >= n,
    KEYSTROKES,
  );
  return page.evaluate(() => (window as unknown as BenchWindow).__keystrokes.slice(2));
}

export const benchmarks: Benchmark[] = [
  {
    name: 'window with 5,000 clips (P5, P8)',
    async run() {
      const root = process.cwd();
      const html = await pageSource(root);
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      try {
        const context = await browser.newContext();
        const newPage = () => context.newPage();
        const virtual: number[] = [];
        const plain: number[] = [];
        const rows: number[] = [];
        const arriving: number[] = [];
        const filteredRender: number[] = [];
        const formatters: number[] = [];
        for (let i = 0; i < MOUNT_SAMPLES; i += 1) {
          // Alternate so drift on the shared machine hits every kind alike; a fresh page each time.
          for (const kind of ['virtual', 'plain', 'window', 'filtered', 'formatters'] as const) {
            const page = await freshPage(html, newPage);
            if (kind === 'virtual' || kind === 'plain') {
              const result = await page.evaluate(
                ([k, n]) => (window as unknown as BenchWindow).__bench.mount(k, n, false),
                [kind, CLIPS] as const,
              );
              (kind === 'virtual' ? virtual : plain).push(result.renderMs);
              if (kind === 'virtual') rows.push(result.rows);
            } else if (kind === 'formatters') {
              formatters.push(
                await page.evaluate(() =>
                  (window as unknown as BenchWindow).__bench.firstFormatters(),
                ),
              );
            } else {
              // The window as it opens: shell first, then the list arrives (P5); and the same
              // with a game filter already on (P5 with a filter, P8).
              const result = await page.evaluate(
                ([n, filtered]) =>
                  (window as unknown as BenchWindow).__bench.mountWindow(n, false, filtered),
                [CLIPS, kind === 'filtered'] as const,
              );
              (kind === 'window' ? arriving : filteredRender).push(result.renderMs);
            }
            await page.close();
          }
        }

        const searching = await freshPage(html, newPage);
        await searching.evaluate(
          (n) => (window as unknown as BenchWindow).__bench.mount('virtual', n, false),
          CLIPS,
        );
        const searchKeys = await typeInto(searching, '[data-testid="find-text"]', true);
        await searching.close();

        const editing = await freshPage(html, newPage);
        await editing.evaluate(
          (n) => (window as unknown as BenchWindow).__bench.mount('virtual', n, true),
          CLIPS,
        );
        const keystrokes = await typeInto(
          editing,
          '[data-testid="clip-editor"] [data-testid="caption-input"]',
        );
        await editing.close();
        const reference = await freshPage(html, newPage);
        await reference.evaluate(() =>
          (window as unknown as BenchWindow).__bench.mountPlainField(),
        );
        const plainKeys = await typeInto(reference, '[data-testid="plain-field"]');
        await reference.close();

        const keyFigure = figure(
          'caption keystroke -> painted frame, 5,000 clips',
          'ms',
          keystrokes,
          {
            goal: 'p95 < 50 ms (P5)',
            meetsGoal: figure('', '', keystrokes).p95 < 50,
            ratio: {
              against: 'plain text area',
              value: figure('', '', keystrokes).median / figure('', '', plainKeys).median,
            },
          },
        );
        return [
          figure('first render, 5,000 clips arriving in the open window', 'ms', arriving, {
            goal: 'median < 200 ms (P5)',
            meetsGoal: figure('', '', arriving).median < 200,
            ratio: {
              against: 'all 5,000 rows mounted',
              value: figure('', '', arriving).median / figure('', '', plain).median,
            },
          }),
          figure('pending screen mounted cold in an empty page (reference)', 'ms', virtual),
          figure('first date and number formatter of a fresh page (reference)', 'ms', formatters),
          figure('first render, 5,000 rows unvirtualized (reference)', 'ms', plain),
          figure('rows in the DOM, 5,000 clips', 'rows', rows, {
            goal: '< 100 rows (P5)',
            meetsGoal: Math.max(...rows) < 100,
          }),
          keyFigure,
          figure('keystroke -> painted frame, plain text area (reference)', 'ms', plainKeys),
          figure('first render, 5,000 clips arriving, game filter on', 'ms', filteredRender, {
            goal: 'median < 200 ms (P5 with a filter, P8)',
            meetsGoal: figure('', '', filteredRender).median < 200,
          }),
          figure('search keystroke -> painted frame, 5,000 clips', 'ms', searchKeys, {
            goal: 'p95 < 50 ms (P8)',
            meetsGoal: figure('', '', searchKeys).p95 < 50,
            ratio: {
              against: 'plain text area',
              value: figure('', '', searchKeys).median / figure('', '', plainKeys).median,
            },
          }),
        ];
      } finally {
        await browser.close();
      }
    },
  },
];
