/**
 * The window's entry: builds the stores over `window.companion`, subscribes to main's pushes
 * once, and renders the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './features/app-shell';
import { t } from './i18n/translate';
import { createAppStore } from './stores/app-store';
import { createClipsStore } from './stores/clips-store';
import { connectStores } from './stores/connect-stores';
import { StoresProvider } from './stores/stores-context';

function start(container: HTMLElement): void {
  const root = createRoot(container);
  // Opened outside the app (a plain browser, a broken preload): say so instead of a blank page.
  if (typeof window.companion !== 'object' || window.companion === null) {
    root.render(<p className="no-bridge">{t('app.noBridge')}</p>);
    return;
  }
  const api = window.companion;
  const stores = { clips: createClipsStore(api), app: createAppStore(api) };
  connectStores(api, stores);
  // A caption typed just before closing is still waiting for its debounce: send it now.
  window.addEventListener('pagehide', () => void stores.clips.getState().flushDrafts());
  root.render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <App />
      </StoresProvider>
    </StrictMode>,
  );
}

const container = document.getElementById('root');
if (container !== null) start(container);
