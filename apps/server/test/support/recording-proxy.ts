import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
}

/**
 * An HTTP proxy in front of a real server that records every request exactly as it arrived (headers and query), so a
 * test can see what the SDK put on the wire. Bodies and responses pass through untouched, streamed both ways.
 */
export async function startRecordingProxy(
  target: string,
  /** Rewrites the path before forwarding (e.g. Azure's /openai/v1 prefix onto a server that serves /v1). */
  rewritePath: (url: string) => string = (url) => url,
): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: rewritePath(req.url ?? '/'), headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.once('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
