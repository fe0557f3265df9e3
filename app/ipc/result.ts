/**
 * The envelope every IPC command answers with: handlers never throw across the bridge.
 */
import type { AppErrorCode, ErrorView } from '../errors';
import { errorView } from '../errors';

export type IpcResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorView };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: AppErrorCode, detail?: string): IpcResult<T> {
  return { ok: false, error: errorView(code, detail) };
}
