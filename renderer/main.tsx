/**
 * The window's entry: builds the stores over `window.companion`, subscribes to main's pushes
 * once, answers main's requests for thumbnails, and renders the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './features/app-shell';
import { renderThumbnailsOffscreen } from './features/thumbnail/frames';
import { prepareFormats } from '../app/i18n/format';
import { resolveLocale, setLocale, t } from '../app/i18n/translate';
import { createAppStore } from './stores/app-store';
import { createClipsStore } from './stores/clips-store';
import { connectStores } from './stores/connect-stores';
import { createSettingsStore } from './stores/settings-store';
import { StoresProvider } from './stores/stores-context';
import { createUiStore } from './stores/ui-store';
import {
  createWindowMemory,
  restoreWindowState,
  uiFromRestored,
  WindowMemoryProvider,
} from './stores/window-memory';

async function start(container: HTMLElement): Promise<void> {
  const root = createRoot(container);
  const locale = resolveLocale(undefined, navigator.languages ?? [navigator.language]);
  setLocale(locale);
  // Opened outside the app (a plain browser, a broken preload): say so instead of a blank page.
  if (typeof window.companion !== 'object' || window.companion === null) {
    root.render(<p className="no-bridge">{t('app.noBridge')}</p>);
    return;
  }
  const api = window.companion;
  const stores = {
    clips: createClipsStore(api),
    app: createAppStore(api),
    settings: createSettingsStore(api),
    ui: createUiStore({}, { registerFiles: api.drop.registerFiles, addFiles: api.clips.addFiles }),
  };
  connectStores(api, stores, {
    // Asked together with the restored state below: main knows which list the window opens on.
    firstRows: true,
    // Main needs PNGs of a frame the window never rendered (auto-send, Send all): draw them
    // off-screen from the local file and hand them over.
    onThumbnailsRequested: ({ clipId, offsetMs }) =>
      void renderThumbnailsOffscreen(clipId, offsetMs)
        .then((images) =>
          stores.clips.getState().thumbnailRendered(clipId, { offsetMs, ...images }),
        )
        .catch(() => undefined),
  });
  // A window built again after a close to the tray opens where the last one was (screen, open
  // clip, filters, scroll). Asked before the formatters below, so main answers it meanwhile.
  const restoring = restoreWindowState(api.window);
  // The first Intl formatter of a page loads its locale's data (tens of ms): built while main
  // answers, so the first rows do not pay for it. A language chosen in Settings builds its own.
  prepareFormats(locale);
  const restored = await restoring;
  stores.ui.setState(uiFromRestored(restored));
  const memory = createWindowMemory(api.window, stores.ui, restored);
  // A caption typed just before closing is still waiting for its debounce: send it now.
  window.addEventListener('pagehide', () => {
    void stores.clips.getState().flushDrafts();
    memory.flush();
  });
  root.render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <WindowMemoryProvider value={memory}>
          <App />
        </WindowMemoryProvider>
      </StoresProvider>
    </StrictMode>,
  );
}

const container = document.getElementById('root');
if (container !== null) void start(container);
