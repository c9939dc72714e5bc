import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/client');
/** What the client may load at runtime: the tRPC client, the SSE client, and its own files. */
const ALLOWED = new Set(['@trpc/client', 'eventsource']);

describe('@sora-monitor/core/client', () => {
  it('imports no server code at runtime (only the router TYPE crosses over)', async () => {
    const files = (await readdir(clientDir)).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    const offending: string[] = [];
    for (const file of files) {
      const source = await readFile(path.join(clientDir, file), 'utf8');
      // Every import/export … from '…' that is not `import type` / `export type`.
      for (const match of source.matchAll(/^(import|export)(?!\s+type\b)[^;]*?\sfrom\s+'([^']+)'/gms)) {
        const specifier = match[2] ?? '';
        const local = specifier.startsWith('./') && !specifier.slice(2).includes('/');
        if (!local && !ALLOWED.has(specifier)) offending.push(`${file}: ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
