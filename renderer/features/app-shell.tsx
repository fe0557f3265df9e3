/**
 * The window: a header saying which service and folders the app works with, the intake status,
 * then the pending clips, the clips refused before reservation, and those no longer pending.
 */
import { useMemo } from 'react';
import type { AppStatus, IntakeStatus } from '../../app/ipc/contract';
import { t } from '../i18n/translate';
import { selectIntake } from '../stores/app-store';
import { createSectionsSelector } from '../stores/clips-selectors';
import { useApp, useClips, useClipsActions } from '../stores/stores-context';
import { PendingList } from './pending/pending-list';

function serviceName(service: AppStatus['service']): string {
  return service.kind === 'sandbox' ? t('service.sandbox') : service.baseUrl;
}

/** The header: app name, service and watched folders. */
export function AppHeader() {
  const status = useApp((state) => state.status);
  const request = useApp((state) => state.request);
  return (
    <header className="app-header">
      <div className="app-header__title">
        <h1>{t('app.name')}</h1>
        {status ? (
          <span className="muted num">{t('app.version', { version: status.version })}</span>
        ) : null}
      </div>
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
              {status.watchedFolders.length > 0 ? (
                <ul className="folder-list">
                  {status.watchedFolders.map((folder) => (
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
          {t('app.statusFailed', { message: request.error.message })}
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
    </section>
  );
}

/** One titled group of clip cards, labelled for assistive technology by its heading. */
function ClipSection(props: {
  readonly name: string;
  readonly ids: readonly string[];
  readonly title: string;
  readonly hint?: string;
}) {
  const headingId = `section-${props.name}`;
  return (
    <section className="section" aria-labelledby={headingId} data-testid={`${props.name}-section`}>
      <div className="section__head">
        <h2 id={headingId}>
          {props.title} <span className="count num">{props.ids.length}</span>
        </h2>
        {props.hint === undefined ? null : <p className="muted">{props.hint}</p>}
      </div>
      <PendingList ids={props.ids} label={props.title} />
    </section>
  );
}

function ClipSections() {
  const selectSections = useMemo(() => createSectionsSelector(), []);
  const sections = useClips(selectSections);
  const list = useClips((state) => state.list);
  const isEmpty = useClips((state) => state.order.length === 0);
  const actions = useClipsActions();

  if (isEmpty) {
    if (list.phase === 'loading') return <p className="muted">{t('list.loading')}</p>;
    if (list.phase === 'failed')
      return (
        <div className="list-error" role="alert">
          <p>{t('list.failed', { message: list.error.message })}</p>
          <button type="button" className="button" onClick={() => void actions.load()}>
            {t('list.retry')}
          </button>
        </div>
      );
    return <EmptyState />;
  }
  return (
    <>
      {sections.pending.length > 0 ? (
        <ClipSection
          name="pending"
          ids={sections.pending}
          title={t('section.pending.title')}
          hint={t('section.pending.hint')}
        />
      ) : (
        <EmptyState />
      )}
      {sections.rejected.length > 0 ? (
        <ClipSection
          name="rejected"
          ids={sections.rejected}
          title={t('section.rejected.title')}
          hint={t('section.rejected.hint')}
        />
      ) : null}
      {sections.closed.length > 0 ? (
        <ClipSection name="closed" ids={sections.closed} title={t('section.closed.title')} />
      ) : null}
    </>
  );
}

/** The whole window. */
export function App() {
  return (
    <div className="app">
      <AppHeader />
      <main className="app-main">
        <IntakeStatusLine />
        <ClipSections />
      </main>
    </div>
  );
}
