/**
 * The page the window benchmark (window.bench.ts) loads into Chromium: the real pending screen
 * over stores built with a fake API holding N clips, and, as the reference, the same rows
 * without virtualization (every row mounted), which is what an unvirtualized list costs.
 */
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { EMPTY_QUERY } from '../../app/clip/clip-query';
import { prepareFormats } from '../../app/i18n/format';
import { resolveLocale } from '../../app/i18n/translate';
import type { ClipView } from '../../app/clip/views';
import type { IpcResult } from '../../app/ipc/result';
import { App, PendingScreen } from '../../renderer/features/app-shell';
import { ClipCardView } from '../../renderer/features/pending/clip-card';
import { createAppStore } from '../../renderer/stores/app-store';
import { createClipsStore, type ClipsStoreApi } from '../../renderer/stores/clips-store';
import { StoresProvider } from '../../renderer/stores/stores-context';
import { createUiStore } from '../../renderer/stores/ui-store';
import { viewCommands } from '../renderer/fixtures';

const GAMES = ['Apex Legends', 'Halo Infinite', 'Valorant', 'Rocket League'] as const;

function clips(count: number): ClipView[] {
  const states = [
    'reserved',
    'reserved',
    'uploading',
    'blocked',
    'reserved',
    'processing',
  ] as const;
  return Array.from({ length: count }, (_, index) => {
    const suffix = String(index).padStart(12, '0');
    const state = states[index % states.length] ?? 'reserved';
    const view = {
      id: `00000000-0000-4000-8000-${suffix}`,
      fileName: `Clip ${index}.mp4`,
      sizeBytes: 10_000_000 + index,
      durationSeconds: 30 + (index % 90),
      // Newest first, as main sends its list (clips:list sorts by recording time).
      recordedAt: new Date(Date.UTC(2025, 0, 1) + (count - index) * 60_000).toISOString(),
      state,
      gameClipId: `gc-${suffix}`,
      caption: index % 3 === 0 ? `Caption of clip ${index}` : '',
      visibility: 'Owner',
      game: GAMES[index % GAMES.length] ?? 'Valorant',
      updatedAt: '2025-03-01T12:00:10.000Z',
      ...(state === 'uploading' ? { progress: 0.4 } : {}),
      ...(state === 'blocked'
        ? {
            error: {
              code: 'gameclips/unauthorized',
              message: 'You are signed out of GameClips. Sign in again to continue.',
              action: 'sign-in',
            },
          }
        : {}),
    } satisfies Omit<ClipView, 'commands'>;
    return { ...view, commands: viewCommands(view) };
  });
}

/** A fake API that answers at once: the figures measure the window, not IPC. */
function fakeApi(list: ClipView[]): ClipsStoreApi {
  const byId = new Map(list.map((clip) => [clip.id, clip]));
  const answer = <T,>(value: T): Promise<IpcResult<T>> => Promise.resolve({ ok: true, value });
  const refuse = () =>
    Promise.resolve({
      ok: false as const,
      error: { code: 'app/internal' as const, message: 'bench', action: 'none' as const },
    });
  return {
    clips: {
      list: () => answer(list),
      updateDraft: (id, patch) => {
        const clip = byId.get(id);
        return clip ? answer({ ...clip, ...patch }) : refuse();
      },
      send: refuse,
      pause: refuse,
      resume: refuse,
      cancel: refuse,
      retry: refuse,
      restore: refuse,
      locate: refuse,
      remove: refuse,
      forceDuplicate: refuse,
      applyBatch: refuse,
      saveThumbnail: refuse,
    },
    history: { clear: refuse },
  };
}

let root: Root | undefined;

function mountInto(): HTMLElement {
  root?.unmount();
  const container = document.createElement('div');
  container.id = 'root';
  container.className = 'bench-root';
  document.body.replaceChildren(container);
  root = createRoot(container);
  return container;
}

/** N clips and the stores over them (the list not yet received), as the figures need them. */
function benchStores(count: number, openFirst: boolean, filtered: boolean) {
  const list = clips(count);
  const store = createClipsStore(fakeApi(list));
  const ui = createUiStore({
    ...(openFirst ? { openClipId: list[0]?.id } : {}),
    ...(filtered
      ? { queries: { pending: { ...EMPTY_QUERY, game: 'Apex Legends' }, history: EMPTY_QUERY } }
      : {}),
  });
  const appStore = createAppStore({
    app: { getStatus: () => new Promise(() => undefined) },
  });
  return { list, store, ui, appStore };
}

/**
 * The time since `started` once style and layout are forced (what the browser must do before it
 * paints), and the rows in the DOM.
 */
function laidOut(started: number): { renderMs: number; rows: number } {
  void document.body.getBoundingClientRect().height;
  const renderMs = performance.now() - started;
  return { renderMs, rows: document.querySelectorAll('[data-testid="clip-card"]').length };
}

/**
 * Mounts the list and answers the time to commit and lay it out, and the rows in the DOM. With
 * `filtered`, a game filter is already active (P5 must hold with a filter on, P8).
 */
function mount(kind: 'virtual' | 'plain', count: number, openFirst: boolean, filtered = false) {
  const { list, store, ui, appStore } = benchStores(count, openFirst, filtered);
  store.getState().clipsReceived(list);
  mountInto();
  const started = performance.now();
  flushSync(() =>
    root?.render(
      <StoresProvider stores={{ clips: store, app: appStore, ui }}>
        {kind === 'virtual' ? (
          <div className="app">
            <main className="app-main">
              <PendingScreen showThumbs={false} />
            </main>
          </div>
        ) : (
          <ol className="plain-list">
            {list.map((clip) => (
              <li key={clip.id}>
                <ClipCardView clip={clip} showThumb={false} />
              </li>
            ))}
          </ol>
        )}
      </StoresProvider>,
    ),
  );
  return laidOut(started);
}

/** Resolves after the next painted frame. */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * The window as it opens: the whole app shell is rendered and painted while main is still
 * sending the list (the stores' list is loading), then the 5,000 clips arrive. Answers the time
 * from the list's arrival to the list committed and laid out, which is the first render of the
 * clips a user waits for. With `filtered`, a game filter is already active (P8).
 */
async function mountWindow(count: number, openFirst: boolean, filtered = false) {
  await openWindow(count, openFirst, filtered);
  return listArrives();
}

let arriving: (() => void) | undefined;

/** The shell rendered and painted with the list still loading; `listArrives` delivers it. */
async function openWindow(count: number, openFirst: boolean, filtered = false): Promise<void> {
  const { list, store, ui, appStore } = benchStores(count, openFirst, filtered);
  mountInto();
  flushSync(() =>
    root?.render(
      <StoresProvider stores={{ clips: store, app: appStore, ui }}>
        <App />
      </StoresProvider>,
    ),
  );
  arriving = () => store.getState().clipsReceived(list);
  await nextPaint();
  await nextPaint();
}

function listArrives(): { renderMs: number; rows: number } {
  const deliver = arriving;
  if (deliver === undefined) throw new Error('openWindow first');
  arriving = undefined;
  const started = performance.now();
  flushSync(deliver);
  return laidOut(started);
}

/** The page's first date and number formatters, in the locale the window would use. */
function firstFormatters(): number {
  const started = performance.now();
  prepareFormats(resolveLocale(undefined, navigator.languages));
  return performance.now() - started;
}

/**
 * Measures keystroke -> next frame for the element matching `selector`: from the keydown's own
 * timestamp to the animation frame after the input was handled (when the browser paints).
 */
function armKeystrokes(selector: string): void {
  const field = document.querySelector(selector) as HTMLElement;
  const samples: number[] = [];
  (window as unknown as { __keystrokes: number[] }).__keystrokes = samples;
  field.addEventListener('keydown', (event) => {
    const start = event.timeStamp;
    requestAnimationFrame(() => {
      // Inside rAF the frame's work is done next; a macrotask after it lands past the paint.
      setTimeout(() => samples.push(performance.now() - start), 0);
    });
  });
  field.focus();
}

/** A plain uncontrolled text area: the cheapest keystroke the browser can paint. */
function mountPlainField(): void {
  mountInto();
  flushSync(() => root?.render(<textarea data-testid="plain-field" rows={2} />));
}

Object.assign(window, {
  __bench: {
    mount,
    mountWindow,
    openWindow,
    listArrives,
    firstFormatters,
    armKeystrokes,
    mountPlainField,
  },
});
