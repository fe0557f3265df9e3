/**
 * The gallery of the built-in service (issue 16, item 4): `/gallery` lists one account's published
 * clips, newest first, searchable by caption and game (`q`), for the user on this computer.
 *
 * A browser has no token, so the owner (the app) asks `GET /users/me/gallery` with its token for a
 * signed gallery link (valid as long as download links, `downloadUriTtlMs`); the link names the
 * account and carries an HMAC, and the page uses signed content links of the same lifetime. The
 * Host and Origin checks run first, as everywhere.
 */
import { contentPath, thumbnailAsset, VIDEO_ASSET } from './clip-view';
import type { RequestContext, Sandbox } from './context';
import { SANDBOX_ERROR_CODES, serviceError } from './errors';
import { json, type Reply } from './http-util';
import { escapeHtml } from './share-routes';
import { requireClaims } from './auth';

/** GET /users/me/gallery: a signed link to the caller's gallery. */
export async function galleryLink(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const missing = requireClaims(ctx.claims, ['Xuid']);
  if (missing) return missing;
  const expiresAt = Date.now() + sandbox.options.downloadUriTtlMs;
  const query = sandbox.signer.galleryQuery(ctx.claims.Xuid as string, expiresAt);
  return json(200, {
    galleryUrl: `${ctx.origin}/gallery?${query}`,
    expiration: new Date(expiresAt).toISOString(),
  });
}

/** GET /gallery?u&se&sig[&q]: the page. */
export async function galleryPage(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const checked = sandbox.signer.checkGallery(ctx.query, Date.now());
  if (checked === undefined || checked === 'expired')
    return serviceError(
      403,
      SANDBOX_ERROR_CODES.badSignature,
      checked === 'expired'
        ? 'This gallery link has expired; open the gallery from the app again.'
        : 'This gallery link is not one the app issued; open the gallery from the app.',
    );
  const xuid = checked;
  const search = (ctx.query.get('q') ?? '').trim().slice(0, 100);
  const needle = search.toLowerCase();
  const expiresAt = Date.now() + sandbox.options.downloadUriTtlMs;
  const signed = (path: string): string =>
    `${path}?${sandbox.signer.contentQuery(path, expiresAt)}`;
  const clips = [...sandbox.store.ownedBy(xuid)]
    .filter((record) => record.state === 'Published' && record.assembled)
    .map((record) => ({ record, game: sandbox.registry.titleName(record.titleId) }))
    .filter(
      ({ record, game }) =>
        needle === '' ||
        record.userCaption.toLowerCase().includes(needle) ||
        game.toLowerCase().includes(needle),
    )
    .sort((a, b) => b.record.request.dateRecorded.localeCompare(a.record.request.dateRecorded));
  const e = escapeHtml;
  const items = await Promise.all(
    clips.map(async ({ record, game }) => {
      const share = await sandbox.shares.current(record);
      const video = signed(contentPath(record.gameClipId, VIDEO_ASSET));
      const thumb = record.thumbnails.Large
        ? signed(
            contentPath(
              record.gameClipId,
              thumbnailAsset('Large', record.thumbnails.Large.contentType),
            ),
          )
        : undefined;
      const href = share ? `/share/${share.shareId}` : video;
      const caption = record.userCaption.trim() !== '' ? record.userCaption : '(no caption)';
      return `<li class="clip" data-clip="${e(record.gameClipId)}">
<a href="${e(href)}">${thumb ? `<img src="${e(thumb)}" alt="" width="370" height="208">` : ''}
<span class="caption">${e(caption)}</span></a>
<span class="meta">${game !== '' ? `<span class="game">${e(game)}</span> · ` : ''}<time datetime="${e(record.request.dateRecorded)}">${e(record.request.dateRecorded.slice(0, 10))}</time> · ${e(record.visibility)}</span>
</li>`;
    }),
  );
  const base = `u=${e(xuid)}&amp;se=${e(ctx.query.get('se') ?? '')}&amp;sig=${e(ctx.query.get('sig') ?? '')}`;
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>My published clips</title>
<style>body{margin:0;background:#111;color:#eee;font:16px system-ui,sans-serif}main{max-width:1100px;margin:0 auto;padding:16px}ul{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:16px}a{color:#9cf}img{width:100%;height:auto;display:block;background:#000}.meta{color:#aaa;font-size:.9em;display:block}</style>
</head>
<body>
<main>
<h1>My published clips</h1>
<form method="get" action="/gallery" role="search">
<input type="hidden" name="u" value="${e(xuid)}"><input type="hidden" name="se" value="${e(ctx.query.get('se') ?? '')}"><input type="hidden" name="sig" value="${e(ctx.query.get('sig') ?? '')}">
<input type="search" name="q" value="${e(search)}" placeholder="Search captions and games" aria-label="Search captions and games">
<button type="submit">Search</button>${search !== '' ? ` <a href="/gallery?${base}">Show all</a>` : ''}
</form>
<p class="count">${clips.length} ${clips.length === 1 ? 'clip' : 'clips'}</p>
<ul>
${items.join('\n')}
</ul>
</main>
</body>
</html>
`;
  return {
    kind: 'text',
    status: 200,
    body,
    contentType: 'text/html; charset=utf-8',
    headers: {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy':
        "default-src 'none'; media-src 'self'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    },
  };
}
