import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayAnswer {
  status?: number;
  contentType: string;
  body: string | Uint8Array;
}

export interface FakeGateway {
  /** Base URL for the openai SDK (`…/v1`). */
  url: string;
  /** Every request as `METHOD path?query`, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A minimal HTTP upstream answering with whatever `answer` returns, for quirks of real gateways the simulator does not
 * reproduce (yet): LiteLLM's variant-blind content route, gateway-shaped Video objects. The real openai SDK talks to
 * it over HTTP, so the SDK's own parsing and streaming are part of every test.
 */
export async function startFakeGateway(
  answer: (url: URL, request: IncomingMessage) => GatewayAnswer,
): Promise<FakeGateway> {
  const requests: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    const { status = 200, contentType, body } = answer(url, request);
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    response.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length });
    response.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const json = (value: unknown, status = 200): GatewayAnswer => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(value),
});
