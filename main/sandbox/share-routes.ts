/**
 * Share pages (issue 16, item 2). Two surfaces:
 *
 * - the owner manages a clip's share with their token, beside the clip:
 *   GET (the share; Public/Default clips get one the first time), POST (create one, also for Owner
 *   clips), DELETE (revoke) on `/users/me/scids/{scid}/clips/{gameClipId}/share`;
 * - anyone with the link opens `/share/{shareId}` (an HTML page with Open Graph tags),
 *   `/share/{shareId}/video` and `/share/{shareId}/thumbnail`, with no token: it is a public link.
 *   The Host and Origin checks still run first (DNS rebinding), and the page reveals only that
 *   clip: caption, game name, date, the video and its thumbnail; never the owner's XUID, gamertag,
 *   other clips, or the signed content links.
 */
import { stat } from 'node:fs/promises';
import { currentClip, type RequestContext, type Sandbox } from './context';
import { SANDBOX_ERROR_CODES, serviceError } from './errors';
import { empty, json, parseRange, type Reply } from './http-util';
import { ownClip } from './metadata-routes';
import type { ServiceClip } from './store';

function noShare(): Reply {
  return serviceError(
    404,
    SANDBOX_ERROR_CODES.notFound,
    'There is no share page at this link: it was revoked, the clip was removed, or the link is wrong.',
  );
}

function shareBody(ctx: RequestContext, share: { shareId: string; createdAt: string }): unknown {
  return {
    shareId: share.shareId,
    shareUrl: `${ctx.origin}/share/${share.shareId}`,
    createdAt: share.createdAt,
  };
}

function ownPublished(sandbox: Sandbox, ctx: RequestContext): { record: ServiceClip } | Reply {
  const target = ownClip(sandbox, ctx);
  if ('error' in target) return target.error;
  if (target.record.state !== 'Published')
    return serviceError(
      409,
      SANDBOX_ERROR_CODES.conflict,
      `Only a published clip can be shared; this one is ${target.record.state}.`,
    );
  return target;
}

/** GET …/clips/{id}/share: the clip's share page, made on first ask for Public/Default clips. */
export async function getShare(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const target = ownPublished(sandbox, ctx);
  if (!('record' in target)) return target;
  const share = await sandbox.shares.current(target.record);
  if (!share)
    return serviceError(
      404,
      SANDBOX_ERROR_CODES.notFound,
      'This clip has no share page: it is not public, or its page was revoked. POST to make one.',
    );
  return json(200, shareBody(ctx, share));
}

/** POST …/clips/{id}/share: make (or return) the clip's share page, whatever its visibility. */
export async function createShare(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const target = ownPublished(sandbox, ctx);
  if (!('record' in target)) return target;
  const share = await sandbox.shares.create(target.record.gameClipId);
  return json(200, shareBody(ctx, share));
}

/** DELETE …/clips/{id}/share: revoke; the page answers 404 from now on. */
export async function revokeShare(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const target = ownClip(sandbox, ctx);
  if ('error' in target) return target.error;
  await sandbox.shares.revoke(target.record.gameClipId);
  return empty(204);
}

/** The live, published clip behind a share id. */
function sharedClip(sandbox: Sandbox, ctx: RequestContext): ServiceClip | undefined {
  const id = sandbox.shares.clipOf(ctx.params.shareId ?? '');
  if (id === undefined) return undefined;
  const record = currentClip(sandbox, id);
  return record?.state === 'Published' && record.assembled ? record : undefined;
}

const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; media-src 'self'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** GET /share/{shareId}: the page. */
export function sharePage(sandbox: Sandbox, ctx: RequestContext): Reply {
  const record = sharedClip(sandbox, ctx);
  if (!record) return noShare();
  const base = `${ctx.origin}/share/${ctx.params.shareId ?? ''}`;
  const game = sandbox.registry.titleName(record.titleId);
  const caption = record.userCaption.trim();
  const title = caption !== '' ? caption : game !== '' ? `A clip from ${game}` : 'A game clip';
  const recorded = record.request.dateRecorded;
  const day = Number.isNaN(Date.parse(recorded))
    ? ''
    : new Date(recorded).toISOString().slice(0, 10);
  const description = [game, day].filter((part) => part !== '').join(' · ');
  const hasThumb = record.thumbnails.Large !== undefined;
  const e = escapeHtml;
  const meta = [
    ['og:type', 'video.other'],
    ['og:title', title],
    ['og:description', description],
    ['og:url', base],
    ['og:video', `${base}/video`],
    ['og:video:type', record.videoContentType ?? 'video/mp4'],
    ...(hasThumb ? [['og:image', `${base}/thumbnail`]] : []),
  ]
    .map(([property, content]) => `<meta property="${e(property!)}" content="${e(content!)}">`)
    .join('\n');
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(title)}</title>
${meta}
<meta name="twitter:card" content="player">
<style>body{margin:0;background:#111;color:#eee;font:16px system-ui,sans-serif}main{max-width:960px;margin:0 auto;padding:16px}video{width:100%;background:#000}h1{font-size:1.3em}p{color:#aaa}</style>
</head>
<body>
<main>
<video id="clip" controls playsinline preload="metadata" src="/share/${e(ctx.params.shareId ?? '')}/video"${hasThumb ? ` poster="/share/${e(ctx.params.shareId ?? '')}/thumbnail"` : ''}></video>
<h1>${e(title)}</h1>
<p>${game !== '' ? `<span class="game">${e(game)}</span> · ` : ''}<time datetime="${e(recorded)}">${e(day)}</time></p>
</main>
</body>
</html>
`;
  return {
    kind: 'text',
    status: 200,
    body,
    contentType: 'text/html; charset=utf-8',
    headOnly: ctx.req.method === 'HEAD',
    headers: PAGE_HEADERS,
  };
}

/** GET /share/{shareId}/video and /thumbnail, with Range. */
export async function shareAsset(sandbox: Sandbox, ctx: RequestContext): Promise<Reply> {
  const record = sharedClip(sandbox, ctx);
  if (!record) return noShare();
  const asset = (ctx.params.asset ?? '').toLowerCase();
  let filePath: string;
  let contentType: string;
  if (asset === 'video') {
    filePath = sandbox.store.videoPath(record.gameClipId);
    contentType = record.videoContentType ?? 'application/octet-stream';
  } else if (asset === 'thumbnail' && record.thumbnails.Large) {
    filePath = sandbox.store.thumbnailPath(record.gameClipId, 'Large');
    contentType = record.thumbnails.Large.contentType;
  } else return noShare();
  let size: number;
  try {
    size = (await stat(filePath)).size;
  } catch {
    return noShare();
  }
  const headers = {
    'Content-Type': contentType,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  const headOnly = ctx.req.method === 'HEAD';
  const range = parseRange(ctx.req.headers.range, size);
  if (range.kind === 'whole')
    return { kind: 'file', status: 200, path: filePath, start: 0, end: size, headOnly, headers };
  if (range.kind === 'partial')
    return {
      kind: 'file',
      status: 206,
      path: filePath,
      start: range.start,
      end: range.end,
      headOnly,
      headers: { ...headers, 'Content-Range': `bytes ${range.start}-${range.end - 1}/${size}` },
    };
  return serviceError(
    416,
    SANDBOX_ERROR_CODES.rangeNotSatisfiable,
    `The range lies outside the ${size}-byte file.`,
    { headers: { 'Content-Range': `bytes */${size}` } },
  );
}
