/**
 * Secrets out of text: the one redaction the logs and every stored or shown error detail share
 * (issue 14, item 6), so service text that echoes a token never reaches a record or the window.
 * Pure and environment-free, so both the logger (main) and errorView (app) use it.
 */

/** Authorization values (`XBL3.0 x=<userhash>;<token>`) that must never be logged or shown (S3). */
const SECRET = /(XBL3\.0\s+x=)[^\s"',]+/giu;

/** Replaces any Authorization value in the text. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET, '$1<redacted>');
}
