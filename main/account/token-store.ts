/**
 * Where main keeps the custom service's `Authorization` value. The token never reaches the
 * window, the logs or crash output (S3); at rest it is encrypted with Electron's safeStorage
 * (async API) where the OS offers encryption, and `encrypted` says when it does not.
 */
export interface TokenStore {
  /** The stored value, decrypted; undefined when none is set. Only main's HTTP client calls this. */
  read(): Promise<string | undefined>;
  write(token: string): Promise<void>;
  clear(): Promise<void>;
  /** Whether a token is stored (what the window may know). */
  hasToken(): Promise<boolean>;
  /** False where only plain-text storage exists on this OS: the window tells the user. */
  isEncrypted(): Promise<boolean>;
}
