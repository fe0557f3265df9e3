/**
 * The renderer half of the stand-in: what `require('electron')` gives the bundled preload inside
 * the page. It is serialized into an init script, so it must not close over anything.
 *
 * Like Electron: arguments and payloads cross by structured clone (functions and DOM objects
 * fail with Electron's wording), the exposed API is frozen, and an invoke whose handler fails
 * rejects with "Error invoking remote method '<channel>': <error>".
 */
export function installPreload(preloadSource: string): void {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const listeners = new Map<string, Set<Listener>>();
  // `json`: the answer as one string, when JSON carries it exactly (see answerOf in stand-in.ts).
  type Answer = { ok: true; value?: unknown; json?: string } | { ok: false; message: string };
  const invokeBinding = (
    window as unknown as {
      __electronStandInInvoke: (channel: string, args: unknown[]) => Promise<Answer>;
    }
  ).__electronStandInInvoke;

  function clone<T>(value: T): T {
    try {
      return structuredClone(value);
    } catch {
      throw new Error('An object could not be cloned.');
    }
  }
  function deepFreeze<T>(value: T): T {
    if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
      for (const key of Object.getOwnPropertyNames(value))
        deepFreeze((value as Record<string, unknown>)[key]);
      Object.freeze(value);
    }
    return value;
  }

  const ipcRenderer = {
    async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      const answer = await invokeBinding(channel, clone(args));
      if (!answer.ok)
        throw new Error(`Error invoking remote method '${channel}': ${answer.message}`);
      return answer.json !== undefined ? (JSON.parse(answer.json) as unknown) : answer.value;
    },
    on(channel: string, listener: Listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown) {
      Object.defineProperty(window, key, {
        value: deepFreeze(api),
        writable: false,
        configurable: false,
        enumerable: true,
      });
    },
  };
  // Electron knows the path of a File the OS handed to a drop; the stand-in knows the paths of
  // the Files a test dropped (see `dropFiles` in stand-in.ts), and '' for any other, as Electron.
  const droppedPaths = new WeakMap<File, string>();
  Object.defineProperty(window, '__electronStandInFilePath', {
    value: (file: File, filePath: string) => droppedPaths.set(file, filePath),
    enumerable: false,
  });
  const webUtils = {
    getPathForFile(file: File): string {
      if (!(file instanceof File)) throw new TypeError('getPathForFile expects a File.');
      return droppedPaths.get(file) ?? '';
    },
  };
  Object.defineProperty(window, '__electronStandInDispatch', {
    value: (channel: string, payload: unknown) => {
      for (const listener of listeners.get(channel) ?? [])
        listener({ sender: ipcRenderer }, payload);
    },
    enumerable: false,
  });

  const electron = { ipcRenderer, contextBridge, webUtils };
  const requireShim = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name}`);
  };
  const module = { exports: {} };
  // The preload is our own bundle, read from dist/ by the test process; Electron evaluates it
  // the same way, as code, so this is the stand-in doing what the runtime does.
  // eslint-disable-next-line no-new-func -- see above: evaluating our own preload bundle
  new Function('require', 'module', 'exports', preloadSource)(requireShim, module, module.exports);
}
