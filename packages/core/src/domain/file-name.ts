/** Longest slug kept from a title: enough to recognise the file; with the id the name stays within 80 characters. */
export const MAX_SLUG_LENGTH = 40;

/**
 * A clean ASCII slug of a title: accents dropped, lower case, words joined by "-", cut at a word boundary. Empty
 * when nothing of the title survives (e.g. only emoji).
 */
export function slugify(title: string, maxLength = MAX_SLUG_LENGTH): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    // "Ada's" is one word, not "ada-s".
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength + 1);
  const lastBreak = cut.lastIndexOf('-');
  return (lastBreak > 0 ? cut.slice(0, lastBreak) : slug.slice(0, maxLength)).replace(/-+$/, '');
}

/** A downloaded video's name without its extension: the title's slug plus the video id, so names never collide. */
export function videoFileStem(title: string, videoId: string): string {
  const slug = slugify(title);
  return slug ? `${slug}-${videoId}` : videoId;
}

/** The name a downloaded video is saved under, e.g. `a-paper-boat-<id>.mp4`. */
export function videoFileName(title: string, videoId: string): string {
  return `${videoFileStem(title, videoId)}.mp4`;
}
