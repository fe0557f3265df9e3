/**
 * The application menu with the usual roles, so copy and paste, zoom, minimize and quit behave as
 * on every other app of the platform. Reload and developer tools only in development builds.
 */
import type { MenuItemConstructorOptions } from 'electron';

export function applicationMenuTemplate(options: {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  readonly appName: string;
  readonly openWindow: () => void;
  /** "Add clips..." through main's own file dialog (issue 15, item 4). */
  readonly addClips?: (kind: 'files' | 'folder') => void;
}): MenuItemConstructorOptions[] {
  const { addClips } = options;
  const isMac = options.platform === 'darwin';
  const macAppMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions[] = [
    ...(options.isPackaged
      ? []
      : ([
          { role: 'reload' },
          { role: 'toggleDevTools' },
          { type: 'separator' },
        ] satisfies MenuItemConstructorOptions[])),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(isMac ? [macAppMenu] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Show Clips', accelerator: 'CmdOrCtrl+1', click: options.openWindow },
        ...(addClips
          ? ([
              {
                id: 'add-clips',
                label: 'Add Clips…',
                accelerator: 'CmdOrCtrl+O',
                click: () => addClips('files'),
              },
              {
                id: 'add-clip-folder',
                label: 'Add a Folder of Clips…',
                accelerator: 'CmdOrCtrl+Shift+O',
                click: () => addClips('folder'),
              },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}
