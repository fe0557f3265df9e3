/**
 * One name per video codec, whatever the container calls it: ISO sample entries (avc1, hvc1...)
 * and Matroska CodecIDs (V_MPEG4/ISO/AVC...) name the same streams differently, and a remux
 * (MKV -> MP4) must be recognised as the same recording.
 */
const FAMILIES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['h264', ['avc1', 'avc3', 'V_MPEG4/ISO/AVC']],
  ['hevc', ['hvc1', 'hev1', 'V_MPEGH/ISO/HEVC']],
  ['av1', ['av01', 'V_AV1']],
  ['vp9', ['vp09', 'V_VP9']],
  ['vp8', ['vp08', 'V_VP8']],
  ['prores', ['apch', 'apcn', 'apcs', 'apco', 'ap4h', 'V_PRORES']],
];

export function codecFamily(containerName: string | undefined): string | undefined {
  if (containerName === undefined) return undefined;
  for (const [family, names] of FAMILIES) if (names.includes(containerName)) return family;
  return containerName;
}
