/**
 * Shows a file name safely: control characters and bidi overrides are spelled out so that a
 * hostile name ("clip\u202Egnp.exe") cannot disguise itself in the window or the terminal.
 */

// C0/C1 controls, and the bidi embedding, override and isolate characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export function escapeDisplayName(name: string): string {
  return name.replace(
    UNSAFE,
    (char) => `\\u{${char.codePointAt(0)?.toString(16).padStart(4, '0')}}`,
  );
}

/** The last segment of a path, for either separator, without touching the file system. */
export function baseName(filePath: string): string {
  const parts = filePath.split(/[\\/]/u);
  return parts[parts.length - 1] ?? filePath;
}
