/** The bundle in `distDir` if none of its inputs is newer than it, else null (see fresh-bundle.js). */
export function freshBundle(distDir: string): string | null;
