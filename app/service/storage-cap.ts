/**
 * The built-in service's storage cap as the user reads it (issue 16, item 5): sizes in binary
 * units (GiB, MiB), the way Windows Explorer and the service's pool limits count them.
 */
const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `5 GiB`, `1.5 MiB`, `900 bytes`: at most one decimal, none when it is a whole number. */
export function binaryBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${UNITS[unit]}`;
}

/** Mebibytes typed in Settings as bytes; undefined for anything that is not a size. */
export function capFromMebibytes(text: string): number | undefined {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) return undefined;
  const bytes = Math.floor(value * 1024 * 1024);
  return bytes <= 2 ** 50 ? bytes : undefined;
}
