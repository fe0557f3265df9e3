/**
 * Checks that bytes are a PNG of an expected size by reading its header, without decoding it.
 *
 * The window renders thumbnails; main re-validates what it is handed (S2), so a wrong-sized or
 * non-PNG image is refused before it is stored or sent.
 */

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export type PngCheck =
  | { readonly ok: true; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly reason: string };

/** Reads the IHDR chunk, which the PNG format requires to come first, right after the signature. */
export function readPngSize(bytes: Uint8Array): PngCheck {
  if (bytes.byteLength < 24 || PNG_SIGNATURE.some((value, index) => bytes[index] !== value))
    return { ok: false, reason: 'The image is not a PNG.' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!);
  if (view.getUint32(8) !== 13 || chunkType !== 'IHDR')
    return { ok: false, reason: 'The PNG has no header chunk where one must be.' };
  return { ok: true, width: view.getUint32(16), height: view.getUint32(20) };
}

/** Accepts only a PNG of exactly `expected` width and height. */
export function checkPng(
  bytes: Uint8Array,
  expected: { readonly width: number; readonly height: number },
): PngCheck {
  const size = readPngSize(bytes);
  if (!size.ok) return size;
  if (size.width !== expected.width || size.height !== expected.height)
    return {
      ok: false,
      reason: `The image is ${size.width}x${size.height}; it must be ${expected.width}x${expected.height}.`,
    };
  return size;
}
