/**
 * The preload: exposes `window.companion`, verbs derived from the IPC contract and nothing else
 * (no ipcRenderer, no generic invoke, no Node). Runs sandboxed, bundled into one file.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
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

contextBridge.exposeInMainWorld('companion', api);
