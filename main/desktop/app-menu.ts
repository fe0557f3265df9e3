/**
 * The application menu with the usual roles, so copy and paste, zoom, minimize and quit behave as
 * on every other app of the platform, in the user's language. Reload and developer tools only in
 * development builds. Help has the field tools: logs, diagnostics, shortcuts, about, and
 * "Restart to update" once an update is downloaded.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { english, type Translator } from '../../app/i18n/messages';

export interface HelpActions {
  readonly openLogs: () => void;
  readonly exportDiagnostics: () => void;
  readonly showShortcuts: () => void;
  readonly showAbout: () => void;
  /** Defined while a downloaded update waits for a restart. */
  readonly restartToUpdate?: (() => void) | undefined;
}

export function applicationMenuTemplate(options: {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  readonly appName: string;
  readonly openWindow: () => void;
  /** "Add clips..." through main's own file dialog (issue 15, item 4). */
  readonly addClips?: (kind: 'files' | 'folder') => void;
  readonly translator?: Translator;
  readonly help?: HelpActions;
}): MenuItemConstructorOptions[] {
  const { addClips } = options;
  const tr = options.translator ?? english;
  const isMac = options.platform === 'darwin';
  const macAppMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about', label: tr.t('menu.about') },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit', label: tr.t('menu.quit') },
    ],
  };
  const view: MenuItemConstructorOptions[] = [
    ...(options.isPackaged
      ? []
      : ([
          { role: 'reload', label: tr.t('menu.reload') },
          { role: 'toggleDevTools', label: tr.t('menu.devTools') },
          { type: 'separator' },
        ] satisfies MenuItemConstructorOptions[])),
    { role: 'resetZoom', label: tr.t('menu.resetZoom') },
    { role: 'zoomIn', label: tr.t('menu.zoomIn') },
    { role: 'zoomOut', label: tr.t('menu.zoomOut') },
    { type: 'separator' },
    { role: 'togglefullscreen', label: tr.t('menu.fullScreen') },
  ];
  const edit: MenuItemConstructorOptions[] = [
    { role: 'undo', label: tr.t('menu.undo') },
    { role: 'redo', label: tr.t('menu.redo') },
    { type: 'separator' },
    { role: 'cut', label: tr.t('menu.cut') },
    { role: 'copy', label: tr.t('menu.copy') },
    { role: 'paste', label: tr.t('menu.paste') },
    { role: 'selectAll', label: tr.t('menu.selectAll') },
  ];
  const help = options.help;
  const helpMenu: MenuItemConstructorOptions[] = help
    ? [
        { id: 'help-open-logs', label: tr.t('menu.openLogs'), click: help.openLogs },
        {
          id: 'help-export-diagnostics',
          label: tr.t('menu.exportDiagnostics'),
          click: help.exportDiagnostics,
        },
        { id: 'help-shortcuts', label: tr.t('menu.shortcuts'), click: help.showShortcuts },
        ...(help.restartToUpdate
          ? ([
              { type: 'separator' },
              {
                id: 'help-restart-to-update',
                label: tr.t('menu.restartToUpdate'),
                click: help.restartToUpdate,
              },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        // macOS has About in the app menu.
        ...(isMac
          ? []
          : ([
              { type: 'separator' },
              { id: 'help-about', label: tr.t('menu.about'), click: help.showAbout },
            ] satisfies MenuItemConstructorOptions[])),
      ]
    : [];
  return [
    ...(isMac ? [macAppMenu] : []),
    {
      label: tr.t('menu.file'),
      submenu: [
        { label: tr.t('menu.showClips'), accelerator: 'CmdOrCtrl+1', click: options.openWindow },
        ...(addClips
          ? ([
              {
                id: 'add-clips',
                label: tr.t('menu.addClips'),
                accelerator: 'CmdOrCtrl+O',
                click: () => addClips('files'),
              },
              {
                id: 'add-clip-folder',
                label: tr.t('menu.addClipFolder'),
                accelerator: 'CmdOrCtrl+Shift+O',
                click: () => addClips('folder'),
              },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { type: 'separator' },
        isMac
          ? { role: 'close', label: tr.t('menu.close') }
          : { role: 'quit', label: tr.t('menu.quit') },
      ],
    },
    { role: 'editMenu', label: tr.t('menu.edit'), submenu: edit },
    { label: tr.t('menu.view'), submenu: view },
    {
      role: 'windowMenu',
      label: tr.t('menu.window'),
      submenu: [
        { role: 'minimize', label: tr.t('menu.minimize') },
        { role: 'close', label: tr.t('menu.close') },
      ],
    },
    ...(helpMenu.length > 0
      ? [{ label: tr.t('menu.help'), role: 'help' as const, submenu: helpMenu }]
      : []),
  ];
}

/** What Electron tells about a right-click (the parts of ContextMenuParams used here). */
export interface ContextMenuRequest {
  readonly isEditable: boolean;
  readonly selectionText: string;
  readonly misspelledWord: string;
  readonly dictionarySuggestions: readonly string[];
  readonly editFlags: {
    readonly canCut: boolean;
    readonly canCopy: boolean;
    readonly canPaste: boolean;
    readonly canSelectAll: boolean;
  };
}

export interface ContextMenuActions {
  readonly replaceMisspelling: (word: string) => void;
  readonly addToDictionary: (word: string) => void;
}

/**
 * The right-click menu: in an editable field, spelling suggestions first, then Cut, Copy, Paste,
 * Select all; on selected text elsewhere, Copy. Nothing otherwise (an empty menu is not shown).
 */
export function contextMenuTemplate(
  request: ContextMenuRequest,
  actions: ContextMenuActions,
  tr: Translator = english,
): MenuItemConstructorOptions[] {
  const flags = request.editFlags;
  if (!request.isEditable)
    return request.selectionText.trim() === ''
      ? []
      : [{ id: 'copy', role: 'copy', label: tr.t('menu.copy'), enabled: flags.canCopy }];
  const spelling: MenuItemConstructorOptions[] =
    request.misspelledWord === ''
      ? []
      : [
          ...request.dictionarySuggestions
            .slice(0, 5)
            .map((word, index): MenuItemConstructorOptions => ({
              id: `suggestion-${index}`,
              label: word,
              click: () => actions.replaceMisspelling(word),
            })),
          {
            id: 'add-to-dictionary',
            label: tr.t('menu.addToDictionary'),
            click: () => actions.addToDictionary(request.misspelledWord),
          },
          { type: 'separator' },
        ];
  return [
    ...spelling,
    { id: 'cut', role: 'cut', label: tr.t('menu.cut'), enabled: flags.canCut },
    { id: 'copy', role: 'copy', label: tr.t('menu.copy'), enabled: flags.canCopy },
    { id: 'paste', role: 'paste', label: tr.t('menu.paste'), enabled: flags.canPaste },
    { type: 'separator' },
    {
      id: 'select-all',
      role: 'selectAll',
      label: tr.t('menu.selectAll'),
      enabled: flags.canSelectAll,
    },
  ];
}
