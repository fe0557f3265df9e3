/**
 * The window: a header saying which service and folders the app works with, the intake status,
 * then the pending clips, the clips refused before reservation, and those no longer pending.
 */
import { useEffect } from 'react';
import type { AppStatus, IntakeStatus } from '../../app/ipc/contract';
import { prepareFormats } from '../../app/i18n/format';
import { errorSentence, resolveLocale, setLocale, t } from '../../app/i18n/translate';
import { selectIntake } from '../stores/app-store';
import { isListComplete } from '../stores/clips-reducers';
import { selectTabCount, selectTabs } from '../stores/clips-selectors';
import {
  useApp,
  useClips,
  useClipsActions,
  useSettings,
  useUi,
  useUiActions,
} from '../stores/stores-context';
import type { Screen } from '../stores/ui-store';
import { BatchBar } from './batch/batch-bar';
import { AddClipsButtons } from './drop/add-clips';
import { DropFeedbackList, DropZone } from './drop/drop-zone';
import { ClipFilterBar, NothingFound, useFoundIds } from './find/clip-filter-bar';
import { HistoryScreen } from './history/history-screen';
import { OpenClipEditor } from './pending/clip-editor';
import { PendingList } from './pending/pending-list';
import { RefusalNotice } from './pending/refusal-notice';
import { ReservedNote } from './pending/reserved-note';
import { SettingsScreen } from './settings/settings-screen';
import { StorageTrimmedNotice } from './published/storage-trimmed-notice';

/** The last part of a folder path, for the header (the full path is in settings). */
function folderName(folder: string): string {
  return folder.split(/[\\/]/u).filter(Boolean).pop() ?? folder;
}

function serviceName(service: AppStatus['service']): string {
  return service.kind === 'sandbox' ? t('service.sandbox') : service.baseUrl;
}

/** The header: app name, service and watched folders. */
export function AppHeader() {
  const status = useApp((state) => state.status);
  const request = useApp((state) => state.request);
  // Settings are the newer word on folders: they change while the app runs, the status does not.
  const settingsFolders = useSettings((state) => state.view?.watchedFolders);
  const folders =
    settingsFolders?.map((folder) => folderName(folder.path)) ?? status?.watchedFolders ?? [];
  return (
    <header className="app-header">
      <div className="app-header__title">
        <h1>{t('app.name')}</h1>
        {status ? (
          <span className="muted num">{t('app.version', { version: status.version })}</span>
        ) : null}
      </div>
      <ScreenNav />
      {status ? (
        <dl className="app-header__facts">
          <div className="fact">
            <dt>{t('service.label')}</dt>
            <dd data-testid="service-name">
              {serviceName(status.service)}
              {status.service.hasAccount ? null : (
                <span className="pill pill--warning">{t('service.signedOut')}</span>
              )}
            </dd>
          </div>
          <div className="fact">
            <dt>{t('folders.label')}</dt>
            <dd data-testid="watched-folders">
              {folders.length > 0 ? (
                <ul className="folder-list">
                  {folders.map((folder) => (
                    <li key={folder} title={folder}>
                      {folder}
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">{t('folders.none')}</span>
              )}
            </dd>
          </div>
        </dl>
      ) : request.phase === 'failed' ? (
        <p className="app-header__error" role="alert">
          {t('app.statusFailed', { message: errorSentence(request.error) })}
        </p>
      ) : (
        <p className="muted">{t('app.loading')}</p>
      )}
    </header>
  );
}

/** The words for the intake status line. */
export function intakeLine(intake: IntakeStatus): string {
  switch (intake.state) {
    case 'starting':
      return t('intake.starting');
    case 'watching':
      return t('intake.watching');
    case 'error':
      return intake.message
        ? t('intake.error', { message: intake.message })
        : t('intake.errorUnknown');
  }
}

/** One line saying whether new recordings are being picked up. */
export function IntakeStatusLine() {
  const intake = useApp(selectIntake);
  if (intake === undefined) return null;
  return (
    <p
      className={`intake intake--${intake.state}`}
      data-testid="intake-status"
      data-state={intake.state}
      role="status"
    >
      <span className="intake__dot" aria-hidden="true" />
      {intakeLine(intake)}
    </p>
  );
}

/** What to do when there is nothing yet. */
export function EmptyState() {
  return (
    <section className="empty" data-testid="empty-state">
      <h2>{t('empty.title')}</h2>
      <p>{t('empty.body')}</p>
      <AddClipsButtons place="empty" />
    </section>
  );
}

/** The screens of the window, as a tab bar operable with the keyboard. */
function ScreenNav() {
  const screen = useUi((state) => state.screen);
  const ui = useUiActions();
  const pendingCount = useClips((state) => selectTabCount(state, 'pending'));
  const historyCount = useClips((state) => selectTabCount(state, 'history'));
  const entries: ReadonlyArray<{ id: Screen; label: string; count?: number }> = [
    { id: 'pending', label: t('nav.pending'), count: pendingCount },
    { id: 'history', label: t('nav.history'), count: historyCount },
    { id: 'settings', label: t('nav.settings') },
  ];
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      {entries.map((entry) => (
        <button
          key={entry.id}
          type="button"
          className="nav__tab"
          data-testid={`nav-${entry.id}`}
          aria-current={screen === entry.id ? 'page' : undefined}
          onClick={() => ui.screenChosen(entry.id)}
        >
          {entry.label}
          {entry.count !== undefined ? <span className="count num">{entry.count}</span> : null}
        </button>
      ))}
    </nav>
  );
}

/** Pending clips: the batch bar, the virtualized list, and the editor of the open clip. */
export function PendingScreen({ showThumbs = true }: { showThumbs?: boolean }) {
  const { pending } = useClips(selectTabs);
  const found = useFoundIds('pending', pending);
  const list = useClips((state) => state.list);
  const count = useClips((state) => selectTabCount(state, 'pending'));
  const actions = useClipsActions();
  // A new window's first rows: the list is drawn, and what needs every clip waits for it.
  const complete = isListComplete(list);
  if (pending.length === 0 || (found.length === 0 && !complete)) {
    if (list.phase === 'loading' || list.phase === 'first-rows')
      return <p className="muted">{t('list.loading')}</p>;
    if (list.phase === 'failed')
      return (
        <div className="list-error" role="alert">
          <p>{t('list.failed', { message: errorSentence(list.error) })}</p>
          <button type="button" className="button" onClick={() => void actions.load()}>
            {t('list.retry')}
          </button>
        </div>
      );
    return <EmptyState />;
  }
  return (
    <div className="screen screen--split">
      <section
        className="screen__list"
        aria-labelledby="section-pending"
        data-testid="pending-section"
      >
        <div className="section__head">
          <h2 id="section-pending">
            {t('section.pending.title')} <span className="count num">{count}</span>
          </h2>
          <p className="muted">{t('section.pending.hint')}</p>
          <AddClipsButtons place="header" />
        </div>
        <ReservedNote />
        <ClipFilterBar list="pending" ids={pending} shown={found.length} complete={complete} />
        <BatchBar ids={found} complete={complete} />
        {found.length === 0 ? (
          <NothingFound list="pending" />
        ) : (
          <PendingList
            ids={found}
            label={t('section.pending.title')}
            showThumbs={showThumbs}
            list="pending"
          />
        )}
      </section>
      <OpenClipEditor />
    </div>
  );
}

function CurrentScreen() {
  const screen = useUi((state) => state.screen);
  switch (screen) {
    case 'pending':
      return (
        <>
          <RefusalNotice />
          <PendingScreen />
        </>
      );
    case 'history':
      return <HistoryScreen />;
    case 'settings':
      return <SettingsScreen />;
  }
}

/** The whole window, in the language the settings (or the OS) ask for. */
export function App() {
  const language = useSettings((state) => state.view?.settings.language);
  const locale = resolveLocale(language, systemLanguages());
  // Messages are looked up at render time; switching re-renders everything below the key.
  setLocale(locale);
  // After the shell is painted, while main is still sending the clips: ready the list's formatters.
  useEffect(() => prepareFormats(locale), [locale]);
  return (
    <DropZone>
      <div className="app" key={locale} lang={locale}>
        <AppHeader />
        <main className="app-main">
          <IntakeStatusLine />
          <DropFeedbackList />
          <StorageTrimmedNotice />
          <CurrentScreen />
        </main>
      </div>
    </DropZone>
  );
}

function systemLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
}
