/**
 * The preload: exposes `window.companion`, verbs derived from the IPC contract and nothing else
 * (no ipcRenderer, no generic invoke, no Node). Runs sandboxed, bundled into one file.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { commandPath, eventListenerName } from '../../app/ipc/api';
import { commands, events } from '../../app/ipc/contract';

type Verb = (...args: unknown[]) => Promise<unknown>;
const api: Record<
  string,
  Record<string, Verb | ((listener: (payload: unknown) => void) => () => void)>
> = { events: {} };

for (const channel of Object.keys(commands)) {
  const [domain, verb] = commandPath(channel);
  const target = (api[domain] ??= {});
  target[verb] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
}

const eventVerbs = api.events as Record<
  string,
  (listener: (payload: unknown) => void) => () => void
>;
for (const channel of Object.keys(events)) {
  eventVerbs[eventListenerName(channel)] = (listener) => {
    if (typeof listener !== 'function') throw new TypeError('A listener must be a function.');
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  };
}

/**
 * Drag-and-drop: the window hands over the dropped File objects and never learns their paths;
 * the preload resolves them with webUtils and sends them through `clips:register-files`, where
 * main re-validates each one (architecture.md section 2.4).
 */
api.drop = {
  registerFiles: (...args: unknown[]) => {
    const files = args[0];
    if (!Array.isArray(files) || files.length === 0 || files.length > 10_000)
      return Promise.reject(new TypeError('Drop between 1 and 10,000 files.'));
    const paths = files
      .filter((file): file is File => file instanceof File)
      .map((file) => webUtils.getPathForFile(file))
      .filter((filePath) => filePath.length > 0);
    return ipcRenderer.invoke('clips:register-files', paths);
  },
};

contextBridge.exposeInMainWorld('companion', api);
