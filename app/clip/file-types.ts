/**
 * Which file names are clip candidates (clip-lifecycle.md section 1): video extensions,
 * case-insensitive, minus dotfiles and the temporary names writers use before a rename.
 */

export const CLIP_EXTENSIONS = ['.mp4', '.m4v', '.mov', '.mkv', '.webm'] as const;

const TEMPORARY = [/\.part$/iu, /\.tmp$/iu, /\.crdownload$/iu, /^~/u];

export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || TEMPORARY.some((pattern) => pattern.test(name));
}

export function isCandidateName(name: string): boolean {
  if (isIgnoredName(name)) return false;
  const lower = name.toLowerCase();
  return CLIP_EXTENSIONS.some((extension) => lower.endsWith(extension));
}
