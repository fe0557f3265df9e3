/**
 * The preload: exposes `window.companion`, verbs derived from the IPC contract and nothing else
 * (no ipcRenderer, no generic invoke, no Node). Runs sandboxed, bundled into one file.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { commandPath, eventListenerName } from '../../app/ipc/api';
import { COMMAND_CHANNELS, EVENT_CHANNELS, USER_ACTION_COMMANDS } from '../../app/ipc/channels';
import { fail } from '../../app/ipc/result';

type Verb = (...args: unknown[]) => Promise<unknown>;
const api: Record<
  string,
  Record<string, Verb | ((listener: (payload: unknown) => void) => () => void)>
> = { events: {} };

/** Whether the page is handling a click or key press right now (Chromium's transient activation). */
function hasUserActivation(): boolean {
  return (
    (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation
      ?.isActive === true
  );
}

const userActionOnly: ReadonlySet<string> = new Set(USER_ACTION_COMMANDS);
for (const channel of COMMAND_CHANNELS) {
  const [domain, verb] = commandPath(channel);
  const target = (api[domain] ??= {});
  target[verb] = userActionOnly.has(channel)
    ? // Opening a dialog or the browser answers a click, never a script on its own.
      (...args: unknown[]) =>
        hasUserActivation()
          ? ipcRenderer.invoke(channel, ...args)
          : Promise.resolve(
              fail('ipc/invalid-arguments', 'This needs a click or a key press in the window.'),
            )
    : (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
}

const eventVerbs = api.events as Record<
  string,
  (listener: (payload: unknown) => void) => () => void
>;
for (const channel of EVENT_CHANNELS) {
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
 * the preload resolves them with webUtils and sends them through `drop:register-files`, a channel
 * no page verb reaches, where main re-validates each one (architecture.md section 2.4). A string,
 * or a File the page made itself (it has no path), is not a dropped file and is left out.
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
    if (paths.length === 0) return Promise.resolve({ ok: true, value: [] });
    return ipcRenderer.invoke('drop:register-files', paths);
  },
};

contextBridge.exposeInMainWorld('companion', api);
