/** Writes the server's bundle (apps/server/src/main.ts and the workspace code it imports) to `outfile`. */
export function bundleServer(outfile: string): Promise<void>;
