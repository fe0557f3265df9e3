/**
 * Settings: watched folders (added with main's folder dialog), the service (built-in sandbox or
 * a custom one with its SCID and a write-only account token), defaults for new clips, when to
 * send, upload limits, desktop behaviour and language. Each change is saved by main at once.
 */
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import type { SettingsView } from '../../../app/ipc/contract';
import type { SendPolicy } from '../../../app/settings';
import { checkAddress, isLoopbackHost, parseUrl } from '../../../app/gameclips/token-scope';
import { currentLocale, errorSentence, t } from '../../../app/i18n/translate';
import { ErrorDetails } from '../error-details';
import { useSettings, useSettingsActions } from '../../stores/stores-context';
import { VisibilityChoice } from '../pending/visibility-choice';
import { ServiceStorageSection } from '../published/service-storage';
import { NetworkShareSection } from '../published/network-share';

function Group({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId: string;
}) {
  const id = useId();
  return (
    <section className="settings-group" aria-labelledby={id} data-testid={testId}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

/**
 * A label over a short number field that is saved when the user leaves it, so a half-typed number
 * is never sent. `onCommit` gets the number as typed and decides whether it is worth saving.
 */
function NumberField({
  label,
  hint,
  onCommit,
  ...limits
}: {
  label: string;
  hint?: string;
  min: number;
  max?: number;
  step?: number;
  defaultValue: number;
  onCommit: (typed: number) => void;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        className="text-input num text-input--short"
        type="number"
        {...limits}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
        onBlur={(event) => onCommit(Number(event.target.value))}
      />
      {hint === undefined ? null : (
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      )}
    </>
  );
}

/** A label over a select that is saved as soon as a choice is made. */
function SelectField({
  label,
  value,
  onChoose,
  testId,
  children,
}: {
  label: string;
  value: string | number;
  onChoose: (value: string) => void;
  testId?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select
        id={id}
        className="select"
        data-testid={testId}
        value={value}
        onChange={(event) => onChoose(event.target.value)}
      >
        {children}
      </select>
    </>
  );
}

function Folders({ view }: { view: SettingsView }) {
  const actions = useSettingsActions();
  return (
    <Group title={t('settings.folders')} testId="settings-folders">
      {view.watchedFolders.length === 0 ? (
        <p className="muted">{t('settings.foldersEmpty')}</p>
      ) : (
        <ul className="settings-folders">
          {view.watchedFolders.map((folder) => (
            <li key={folder.key} data-testid="watched-folder">
              <span className="settings-folders__path" title={folder.path}>
                {folder.path}
              </span>
              <FolderLabel
                folderKey={folder.key}
                saved={view.settings.folderLabels[folder.path] ?? ''}
              />
              <button
                type="button"
                className="button button--small"
                aria-label={t('settings.removeFolderNamed', { name: folder.path })}
                onClick={() => void actions.folderRemoved(folder.key)}
              >
                {t('settings.removeFolder')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="button"
        data-testid="add-folder"
        onClick={() => void actions.folderAddRequested()}
      >
        {t('settings.addFolder')}
      </button>
    </Group>
  );
}

/** The game every clip of one folder is from, when its subfolders and file names do not say. */
function FolderLabel({ folderKey, saved }: { folderKey: string; saved: string }) {
  const actions = useSettingsActions();
  const [text, setText] = useState(saved);
  const id = useId();
  useEffect(() => setText(saved), [saved]);
  function commit() {
    const label = text.trim();
    if (label !== saved) void actions.changed({ folderLabels: { [folderKey]: label } });
  }
  return (
    <span className="settings-folders__label">
      <label htmlFor={id} className="small muted">
        {t('settings.folderLabel')}
      </label>
      <input
        id={id}
        type="text"
        data-testid="folder-label"
        maxLength={60}
        value={text}
        placeholder={t('settings.folderLabel.placeholder')}
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
    </span>
  );
}

function Service({ view }: { view: SettingsView }) {
  const actions = useSettingsActions();
  const service = view.settings.service;
  const [kind, setKind] = useState(service.kind);
  const [baseUrl, setBaseUrl] = useState(service.kind === 'custom' ? service.baseUrl : '');
  const [scid, setScid] = useState(service.kind === 'custom' ? service.scid : '');
  const [token, setToken] = useState('');
  const ids = { url: useId(), scid: useId(), token: useId(), radio: useId() };

  function saveService(event: FormEvent) {
    event.preventDefault();
    void actions.changed({
      service: kind === 'sandbox' ? { kind } : { kind, baseUrl: baseUrl.trim(), scid: scid.trim() },
    });
  }
  // What the typed address means for the token (issue 14): https only, http on loopback with a
  // note, and a different origin clears the stored token.
  const typed =
    kind === 'custom' && baseUrl.trim().length > 0 ? checkAddress(baseUrl.trim()) : undefined;
  const typedLoopbackHttp =
    typed?.allowed === true &&
    typed.origin.startsWith('http:') &&
    isLoopbackHost(parseUrl(typed.origin)?.hostname ?? '');
  const clearsToken =
    typed?.allowed === true &&
    view.hasAccountToken &&
    view.tokenOrigin !== undefined &&
    typed.origin !== view.tokenOrigin;
  const serviceOrigin =
    service.kind === 'custom'
      ? (checkAddress(service.baseUrl).origin ?? service.baseUrl)
      : undefined;

  async function saveToken(event: FormEvent) {
    event.preventDefault();
    // The field is write-only: once main has the token it is cleared and never shown again.
    if (await actions.tokenEntered(token.trim())) setToken('');
  }

  return (
    <Group title={t('settings.service')} testId="settings-service">
      <form className="settings-form" onSubmit={saveService}>
        <fieldset className="choice">
          <legend className="field-label">{t('settings.serviceKind')}</legend>
          {(['sandbox', 'custom'] as const).map((value) => (
            <div className="choice__option" key={value}>
              <input
                type="radio"
                id={`${ids.radio}-${value}`}
                name={ids.radio}
                checked={kind === value}
                data-testid={`service-${value}`}
                onChange={() => setKind(value)}
              />
              <label htmlFor={`${ids.radio}-${value}`}>
                <span className="choice__label">
                  {t(value === 'sandbox' ? 'service.sandbox' : 'settings.custom')}
                </span>
                <span className="choice__hint muted">
                  {t(value === 'sandbox' ? 'settings.sandboxHint' : 'settings.customHint')}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
        {kind === 'custom' ? (
          <>
            <label htmlFor={ids.url} className="field-label">
              {t('settings.baseUrl')}
            </label>
            <input
              id={ids.url}
              className="text-input"
              type="url"
              required
              value={baseUrl}
              placeholder="https://"
              onChange={(event) => setBaseUrl(event.target.value)}
            />
            {typed !== undefined && !typed.allowed && typed.reason !== 'not-a-url' ? (
              <p className="warning" role="alert" data-testid="service-url-insecure">
                {t('settings.insecureUrl')}
              </p>
            ) : null}
            {typedLoopbackHttp ? (
              <p className="muted small" data-testid="service-url-loopback-note">
                {t('settings.loopbackNote')}
              </p>
            ) : null}
            {clearsToken ? (
              <p className="warning" data-testid="service-url-clears-token">
                {t('settings.originChangeClearsToken', { origin: view.tokenOrigin ?? '' })}
              </p>
            ) : null}
            <label htmlFor={ids.scid} className="field-label">
              {t('settings.scid')}
            </label>
            <input
              id={ids.scid}
              className="text-input num"
              required
              value={scid}
              onChange={(event) => setScid(event.target.value)}
            />
          </>
        ) : null}
        <button type="submit" className="button" data-testid="save-service">
          {t('settings.saveService')}
        </button>
        <p className="muted small">{t('settings.restartHint')}</p>
      </form>
      <form
        className="settings-form"
        // The built-in service needs no token: the block shows for a custom service only.
        hidden={kind === 'sandbox' && service.kind === 'sandbox'}
        data-testid="settings-token"
        onSubmit={(event) => void saveToken(event)}
      >
        <label htmlFor={ids.token} className="field-label">
          {t('settings.token')}
        </label>
        <p className="small" data-testid="token-state">
          {view.hasAccountToken ? t('settings.tokenSet') : t('settings.tokenNotSet')}
        </p>
        {view.hasAccountToken && view.tokenOrigin !== undefined ? (
          <p className="small" data-testid="token-origin">
            {t('settings.tokenFor', { origin: view.tokenOrigin })}
          </p>
        ) : null}
        {!view.hasAccountToken && serviceOrigin !== undefined ? (
          <p className="small" data-testid="token-ask">
            {t('settings.tokenAskFor', { origin: serviceOrigin })}
          </p>
        ) : null}
        {view.hasAccountToken && !view.tokenEncrypted ? (
          <p className="warning" role="alert" data-testid="token-plaintext-warning">
            {t('settings.tokenPlaintext')}
          </p>
        ) : null}
        <input
          id={ids.token}
          className="text-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          placeholder="XBL3.0 x=…;…"
          data-testid="token-input"
          onChange={(event) => setToken(event.target.value)}
        />
        <div className="settings-form__row">
          <button type="submit" className="button" disabled={token.trim().length === 0}>
            {t('settings.saveToken')}
          </button>
          {view.hasAccountToken ? (
            <button type="button" className="button" onClick={() => void actions.tokenCleared()}>
              {t('settings.clearToken')}
            </button>
          ) : null}
        </div>
      </form>
    </Group>
  );
}

function Defaults({ view }: { view: SettingsView }) {
  const actions = useSettingsActions();
  const defaults = view.settings.defaults;
  const [template, setTemplate] = useState(defaults.captionTemplate);
  const templateId = useId();
  return (
    <Group title={t('settings.defaults')} testId="settings-defaults">
      <VisibilityChoice
        legend={t('settings.defaultVisibility')}
        testId="default-visibility"
        value={defaults.visibility}
        onChoose={(visibility) => void actions.changed({ defaults: { visibility } })}
      />
      <label htmlFor={templateId} className="field-label">
        {t('settings.captionTemplate')}
      </label>
      <input
        id={templateId}
        className="text-input"
        value={template}
        maxLength={1000}
        aria-describedby={`${templateId}-hint`}
        onChange={(event) => setTemplate(event.target.value)}
        onBlur={() =>
          template !== defaults.captionTemplate
            ? void actions.changed({ defaults: { captionTemplate: template } })
            : undefined
        }
      />
      <span id={`${templateId}-hint`} className="muted small">
        {t('batch.templateHint')}
      </span>
      <Toggle
        label={t('settings.savedByUser')}
        hint={t('settings.savedByUserHint')}
        testId="saved-by-user"
        checked={defaults.savedByUser}
        onChange={(savedByUser) => void actions.changed({ defaults: { savedByUser } })}
      />
      <NumberField
        label={t('settings.thumbnailOffset')}
        min={0}
        max={600}
        step={0.5}
        defaultValue={defaults.thumbnailOffsetMs / 1000}
        onCommit={(seconds) => {
          const ms = Math.round(seconds * 1000);
          if (Number.isFinite(ms) && ms >= 0 && ms !== defaults.thumbnailOffsetMs)
            void actions.changed({ defaults: { thumbnailOffsetMs: ms } });
        }}
      />
    </Group>
  );
}

function Sending({ view }: { view: SettingsView }) {
  const actions = useSettingsActions();
  const policy = view.settings.sendPolicy;
  const uploads = view.settings.uploads;
  const radioName = useId();
  const policies: ReadonlyArray<{
    kind: SendPolicy['kind'];
    label: 'settings.policy.review' | 'settings.policy.after-delay' | 'settings.policy.immediate';
  }> = [
    { kind: 'review', label: 'settings.policy.review' },
    { kind: 'after-delay', label: 'settings.policy.after-delay' },
    { kind: 'immediate', label: 'settings.policy.immediate' },
  ];
  const choose = (kind: SendPolicy['kind']) =>
    void actions.changed({
      sendPolicy:
        kind === 'after-delay'
          ? { kind, minutes: policy.kind === 'after-delay' ? policy.minutes : 10 }
          : { kind },
    });
  return (
    <Group title={t('settings.sending')} testId="settings-sending">
      <fieldset className="choice">
        <legend className="field-label">{t('settings.sendPolicy')}</legend>
        {policies.map(({ kind, label }) => (
          <div className="choice__option" key={kind}>
            <input
              type="radio"
              id={`${radioName}-${kind}`}
              name={radioName}
              checked={policy.kind === kind}
              onChange={() => choose(kind)}
            />
            <label htmlFor={`${radioName}-${kind}`}>
              <span className="choice__label">{t(label)}</span>
            </label>
          </div>
        ))}
      </fieldset>
      {policy.kind === 'after-delay' ? (
        <NumberField
          label={t('settings.delayMinutes')}
          min={1}
          max={1440}
          defaultValue={policy.minutes}
          onCommit={(typed) => {
            const minutes = Math.round(typed);
            if (minutes >= 1 && minutes <= 1440 && minutes !== policy.minutes)
              void actions.changed({ sendPolicy: { kind: 'after-delay', minutes } });
          }}
        />
      ) : null}
      <SelectField
        label={t('settings.parallel')}
        value={uploads.parallelBlocks}
        onChoose={(value) => void actions.changed({ uploads: { parallelBlocks: Number(value) } })}
      >
        {[1, 2, 3, 4, 6, 8, 12, 16].map((count) => (
          <option key={count} value={count}>
            {count}
          </option>
        ))}
      </SelectField>
      <NumberField
        label={t('settings.bandwidth')}
        hint={t('settings.bandwidthHint')}
        min={0}
        step={0.5}
        defaultValue={uploads.bandwidthCapBytesPerSecond / 1_000_000}
        onCommit={(megabytes) => {
          const bytes = Math.round(megabytes * 1_000_000);
          if (Number.isFinite(bytes) && bytes >= 0 && bytes !== uploads.bandwidthCapBytesPerSecond)
            void actions.changed({ uploads: { bandwidthCapBytesPerSecond: bytes } });
        }}
      />
    </Group>
  );
}

function Toggle({
  label,
  hint,
  checked,
  onChange,
  testId,
}: {
  label: string;
  /** A sentence under the label saying what the choice costs or does. */
  hint?: string;
  checked: boolean;
  onChange: (value: boolean) => void;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="toggle">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        data-testid={testId}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {hint === undefined ? null : (
        <span id={`${id}-hint`} className="toggle__hint muted small">
          {hint}
        </span>
      )}
    </div>
  );
}

function Desktop({ view }: { view: SettingsView }) {
  const actions = useSettingsActions();
  const desktop = view.settings.desktop;
  const notify = (key: 'reserved' | 'blocked' | 'published' | 'failed', value: boolean) =>
    void actions.changed({ desktop: { notifications: { [key]: value } } });
  return (
    <Group title={t('settings.desktop')} testId="settings-desktop">
      <Toggle
        label={t('settings.startAtLogin')}
        checked={desktop.startAtLogin}
        onChange={(value) => void actions.changed({ desktop: { startAtLogin: value } })}
      />
      <Toggle
        label={t('settings.closeToTray')}
        hint={t('settings.closeToTrayHint')}
        testId="close-to-tray"
        checked={desktop.closeToTray}
        onChange={(closeToTray) => void actions.changed({ desktop: { closeToTray } })}
      />
      <fieldset className="choice">
        <legend className="field-label">{t('settings.notifications')}</legend>
        <Toggle
          label={t('settings.notify.reserved')}
          checked={desktop.notifications.reserved}
          onChange={(v) => notify('reserved', v)}
        />
        <Toggle
          label={t('settings.notify.blocked')}
          checked={desktop.notifications.blocked}
          onChange={(v) => notify('blocked', v)}
        />
        <Toggle
          label={t('settings.notify.published')}
          checked={desktop.notifications.published}
          onChange={(v) => notify('published', v)}
        />
        <Toggle
          label={t('settings.notify.failed')}
          checked={desktop.notifications.failed}
          onChange={(v) => notify('failed', v)}
        />
      </fieldset>
      <SelectField
        label={t('settings.language')}
        testId="language"
        value={view.settings.language}
        onChoose={(value) => void actions.changed({ language: value as 'system' | 'en' | 'zh-TW' })}
      >
        <option value="system">{t('settings.language.system')}</option>
        <option value="en" lang="en">
          English
        </option>
        <option value="zh-TW" lang="zh-TW">
          繁體中文
        </option>
      </SelectField>
    </Group>
  );
}

/**
 * Where Settings was scrolled to, and in which language. A language change re-renders the whole
 * window under a new key; the new Settings starts where the old one was (issue 15, item 7).
 */
const kept = { top: 0, locale: '' };

export function SettingsScreen() {
  const view = useSettings((state) => state.view);
  const error = useSettings((state) => state.error);
  const scroller = useRef<HTMLDivElement>(null);
  const loaded = view !== undefined;
  useLayoutEffect(() => {
    if (!loaded) return;
    const locale = currentLocale();
    if (kept.locale !== '' && kept.locale !== locale && scroller.current)
      scroller.current.scrollTop = kept.top;
    kept.locale = locale;
  }, [loaded]);
  return (
    <div
      className="screen settings"
      data-testid="settings-screen"
      ref={scroller}
      onScroll={(event) => {
        kept.top = event.currentTarget.scrollTop;
        kept.locale = currentLocale();
      }}
    >
      <h2>{t('settings.title')}</h2>
      {error ? (
        <p className="settings__error" role="alert" data-testid="settings-error">
          {errorSentence(error)}
          <ErrorDetails detail={error.detail} />
        </p>
      ) : null}
      {view === undefined ? (
        <p className="muted">{t('app.loading')}</p>
      ) : (
        <div className="settings__grid">
          <Folders view={view} />
          <Service view={view} />
          <Defaults view={view} />
          <Sending view={view} />
          <Desktop view={view} />
          <ServiceStorageSection />
          <NetworkShareSection />
        </div>
      )}
    </div>
  );
}
