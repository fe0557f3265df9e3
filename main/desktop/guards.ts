/**
 * Navigation, new-window and permission guards for every webContents the app ever creates
 * (quality-bars.md S1). Installed once on `web-contents-created`, so a window added later, a
 * devtools page or an injected frame's popup is covered without anyone remembering to.
 */
import type { App, Session, WebContents } from 'electron';
import type { Logger } from '../util/logger';

/** Our page, whatever hash or query the renderer adds; nothing else may be navigated to. */
export function isOwnPage(target: string, rendererUrl: string | undefined): boolean {
  if (rendererUrl === undefined) return false;
  const parsedTarget = safeUrl(target);
  const own = safeUrl(rendererUrl);
  return (
    parsedTarget !== undefined &&
    own !== undefined &&
    parsedTarget.protocol === own.protocol &&
    parsedTarget.host === own.host &&
    parsedTarget.pathname === own.pathname
  );
}

/**
 * An https link the user may open in their browser (main/ipc/open-link.ts checks a clip's link
 * with it): https only, a real host name, no user name or
 * password smuggled in (`https://trusted@evil`), bounded length. Anything else is dropped.
 */
export function externalLinkToOpen(target: string): string | undefined {
  if (target.length > 2048) return undefined;
  const url = safeUrl(target);
  if (!url || url.protocol !== 'https:' || url.hostname === '') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url.href;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export interface GuardOptions {
  readonly rendererUrl: () => string | undefined;
  readonly logger: Logger;
}

/** Hardens one webContents: the function `web-contents-created` calls, exported for its test. */
export function hardenWebContents(contents: WebContents, options: GuardOptions): void {
  const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
    if (isOwnPage(url, options.rendererUrl())) return;
    event.preventDefault();
    options.logger.warn('refused a navigation away from the app', { url: url.slice(0, 200) });
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  // No <webview> anywhere: refuse one even if a page managed to add it.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No page opens anything, not even the browser: a published clip's link opens only through
  // `clips:open-link`, which names the clip, never a URL (issue 14, item 6).
  contents.setWindowOpenHandler(({ url }) => {
    options.logger.warn('refused to open a window', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
}

/** Every session refuses every permission, asked or merely checked: no page of ours needs one. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Installs the guards for every webContents and session the app will ever have. */
export function installGuards(app: App, defaultSession: Session, options: GuardOptions): void {
  denyAllPermissions(defaultSession);
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, options);
    if (contents.session !== defaultSession) denyAllPermissions(contents.session);
  });
}
