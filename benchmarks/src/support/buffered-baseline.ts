/*
 * The baseline of scenario 3, in its own process (the probe measures its memory): the seed's way of keeping a
 * video, implemented here only. Download = read the whole response into memory and base64 it (as the seed stored
 * it in a database column); serve = decode the base64 and send the buffer. Also a plain static file server, the
 * time-to-first-byte baseline of the content route. Commands arrive over IPC (see askScript).
 */
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

interface Command {
  script: string;
  command: 'download' | 'download-streamed' | 'serve-buffered' | 'serve-static';
  url?: string;
  apiKey?: string;
  file?: string;
}

let stored: string | null = null;
const servers: http.Server[] = [];

function listen(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

async function handle(message: Command): Promise<unknown> {
  switch (message.command) {
    case 'download': {
      const started = performance.now();
      const response = await fetch(message.url!, { headers: { authorization: `Bearer ${message.apiKey}` } });
      if (!response.ok) throw new Error(`download answered ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      stored = bytes.toString('base64');
      return { bytes: bytes.length, ms: performance.now() - started };
    }
    case 'download-streamed': {
      // The floor any streaming design pays in this runtime: fetch's web stream piped to a file, nothing else.
      const response = await fetch(message.url!, { headers: { authorization: `Bearer ${message.apiKey}` } });
      if (!response.ok || !response.body) throw new Error(`download answered ${response.status}`);
      const file = path.join(tmpdir(), `sora-bench-streamed-${process.pid}.mp4`);
      try {
        await pipeline(
          Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
          createWriteStream(file),
        );
        return { bytes: statSync(file).size };
      } finally {
        rmSync(file, { force: true });
      }
    }
    case 'serve-buffered':
      return {
        port: await listen((_request, response) => {
          const video = Buffer.from(stored ?? '', 'base64');
          response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': video.length });
          response.end(video);
        }),
      };
    case 'serve-static': {
      const file = message.file!;
      return {
        port: await listen((_request, response) => {
          response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': statSync(file).size });
          createReadStream(file).pipe(response);
        }),
      };
    }
  }
}

process.on('message', (message: Command) => {
  if (typeof message !== 'object' || message === null || !('script' in message)) return;
  handle(message).then(
    (result) => process.send?.({ script: message.script, result }),
    (error: unknown) =>
      process.send?.({
        script: message.script,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
process.on('SIGTERM', () => {
  for (const server of servers) server.closeAllConnections();
  process.exit(0);
});
process.channel?.ref();
console.log('baseline ready');
