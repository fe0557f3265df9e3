/**
 * GameClipsClient over axios: one instance, headers per spec 1.2-1.4, every response mapped to
 * a value (validateStatus accepts all), bodies checked against the wire schemas.
 */
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import {
  GetClipResponseSchema,
  type InitialUploadRequest,
  type InitialUploadResponse,
  InitialUploadResponseSchema,
  QueryClipsResponseSchema,
  type UpdateMetadataRequest,
  describeErrorBody,
} from '../../app/gameclips/wire';
import { parseRetryAfter } from '../../app/retry';
import { describeRefusal, tokenScopeFor, type TokenScope } from '../../app/gameclips/token-scope';
import { APP_VERSION } from '../util/version';
import type { AccountProvider, CallFailure, CallResult, GameClipsClient } from './gameclips-client';

/** A request refused before it left because the token may not go to its URL (issue 14). */
const TOKEN_SCOPE_CODE = 'ERR_TOKEN_SCOPE';

/** Error codes that mean the request never reached the service. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_INVALID_URL',
  'ERR_BAD_OPTION',
  TOKEN_SCOPE_CODE,
]);

export interface AxiosClientOptions {
  readonly baseUrl: string;
  readonly account: AccountProvider;
  readonly timeoutMs?: number;
  readonly locale?: string;
  /**
   * Where the token may go; by default the base URL's origin only. Any request to a URL outside
   * it is refused before it leaves, so the token never reaches it.
   */
  readonly tokenScope?: TokenScope | (() => TokenScope);
}

export class AxiosGameClipsClient implements GameClipsClient {
  readonly baseUrl: string;
  private readonly http: AxiosInstance;

  constructor(private readonly options: AxiosClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/u, '');
    this.http = axios.create({
      baseURL: this.baseUrl,
      timeout: options.timeoutMs ?? 30_000,
      validateStatus: () => true,
      // Never follow a redirect: it would carry the token to wherever Location points.
      maxRedirects: 0,
      // Blocks are at most 2 MB; JSON answers are small. Refuse anything absurd.
      maxContentLength: 16 * 1024 * 1024,
      maxBodyLength: 4 * 1024 * 1024,
      // axios decompresses gzip and deflate answers itself (decompress defaults to true).
      decompress: true,
      headers: {
        Accept: 'application/json',
        // The reference pages require X-RequestedServiceVersion; the general Xbox Live page wants
        // x-xbl-contract-version. Both name version 1 (spec 1.3), so a service enforcing either is met.
        'X-RequestedServiceVersion': '1',
        'x-xbl-contract-version': '1',
        // Optional on the pages; the two encodings listed there, nothing the service never named.
        'Accept-Encoding': 'gzip, deflate',
        'Accept-Language': options.locale ?? 'en-US',
        'User-Agent': `GameClipsCompanion/${APP_VERSION}`,
      },
    });
    this.http.interceptors.request.use(async (config) => {
      const url = this.http.getUri(config);
      const scope = this.tokenScope();
      const decision = tokenScopeFor(url, scope);
      if (!decision.allowed) throw new AxiosError(describeRefusal(url, decision), TOKEN_SCOPE_CODE);
      const authorization = await this.options.account.authorization();
      if (authorization) config.headers.set('Authorization', authorization);
      return config;
    });
  }

  private tokenScope(): TokenScope {
    const scope = this.options.tokenScope;
    if (scope === undefined) return { serviceOrigin: this.baseUrl };
    return typeof scope === 'function' ? scope() : scope;
  }

  reserve(scid: string, body: InitialUploadRequest): Promise<CallResult<InitialUploadResponse>> {
    return this.call(
      {
        method: 'POST',
        url: `/users/me/scids/${encodeURIComponent(scid)}/clips`,
        data: body,
        headers: { 'Content-Type': 'application/json' },
      },
      (data) => InitialUploadResponseSchema.safeParse(data),
    );
  }

  async getClip(scid: string, gameClipId: string) {
    const result = await this.call(
      {
        method: 'GET',
        url: `/users/me/scids/${encodeURIComponent(scid)}/clips/${encodeURIComponent(gameClipId)}`,
        headers: { 'Cache-Control': 'no-cache' },
      },
      (data) => GetClipResponseSchema.safeParse(data),
    );
    return result.ok
      ? { ok: true as const, status: result.status, value: result.value.gameClip }
      : result;
  }

  listClips(scid: string, page: { continuationToken?: string; maxItems?: number }) {
    const params: Record<string, string | number> = { maxItems: page.maxItems ?? 100 };
    if (page.continuationToken) params.continuationToken = page.continuationToken;
    return this.call(
      {
        method: 'GET',
        url: `/users/me/scids/${encodeURIComponent(scid)}/clips`,
        params,
        headers: { 'Cache-Control': 'no-cache' },
      },
      (data) => QueryClipsResponseSchema.safeParse(data),
    );
  }

  deleteClip(scid: string, gameClipId: string): Promise<CallResult<void>> {
    return this.call(
      {
        method: 'DELETE',
        url: `/users/me/scids/${encodeURIComponent(scid)}/clips/${encodeURIComponent(gameClipId)}`,
        headers: { 'Cache-Control': 'no-cache' },
      },
      () => ({ success: true, data: undefined }),
    );
  }

  putThumbnail(thumbnailUri: string, png: Uint8Array): Promise<CallResult<void>> {
    return this.call(
      { method: 'PUT', url: thumbnailUri, data: png, headers: { 'Content-Type': 'image/png' } },
      () => ({ success: true, data: undefined }),
    );
  }

  updateMetadata(
    scid: string,
    gameClipId: string,
    body: UpdateMetadataRequest,
  ): Promise<CallResult<void>> {
    return this.call(
      {
        method: 'POST',
        url: `/users/me/scids/${encodeURIComponent(scid)}/clips/${encodeURIComponent(gameClipId)}`,
        data: body,
        headers: { 'Content-Type': 'application/json' },
      },
      () => ({ success: true, data: undefined }),
    );
  }

  private async call<T>(
    request: Parameters<AxiosInstance['request']>[0],
    parse: (data: unknown) => { success: true; data: T } | { success: false; error?: unknown },
  ): Promise<CallResult<T>> {
    let response: AxiosResponse;
    for (let refreshed = false; ; refreshed = true) {
      try {
        response = await this.http.request(request);
      } catch (error) {
        return { ok: false, failure: networkFailure(error) };
      }
      // The one place a 401 refreshes the account: once, then the call is made again (a 401
      // means nothing was applied, so even the reserve POST may be repeated).
      if (response.status !== 401 || refreshed || !(await this.options.account.refresh())) break;
    }
    if (response.status >= 200 && response.status < 300) {
      const parsed = parse(response.data === '' ? undefined : response.data);
      if (!parsed.success)
        return {
          ok: false,
          failure: {
            kind: 'malformed',
            status: response.status,
            message: 'The service answered with a body this app does not understand.',
          },
        };
      return { ok: true, status: response.status, value: parsed.data };
    }
    if (response.status >= 300 && response.status < 400)
      return {
        ok: false,
        failure: {
          ...httpFailure(response),
          message: 'The service redirected to another address; the app does not follow redirects.',
        },
      };
    return { ok: false, failure: httpFailure(response) };
  }
}

function httpFailure(response: AxiosResponse): CallFailure {
  const { message, code } = describeErrorBody(response.data);
  const retryAfter = parseRetryAfter(
    response.headers['retry-after'] as string | undefined,
    Date.now(),
  );
  return {
    kind: 'http',
    status: response.status,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(code !== undefined ? { errorCode: code } : {}),
  };
}

function networkFailure(error: unknown): CallFailure {
  if (error instanceof AxiosError) {
    const code = error.code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code ?? '';
    if (code === TOKEN_SCOPE_CODE)
      return { kind: 'network', sent: false, refused: 'token-scope', message: error.message };
    return {
      kind: 'network',
      sent: !NOT_SENT_CODES.has(code),
      message: `${code || 'network error'}: ${error.message}`,
    };
  }
  return { kind: 'network', sent: true, message: String(error) };
}
