import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/*
 * A webhook receiver for tests: a real HTTP server that answers with scripted statuses and verifies every request's
 * signature with the `standardwebhooks` package itself (not the product's signing code), as a user's server would.
 */

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered. */
  answeredWith: number;
  /** Whether the signature verified with the endpoint's secret (null: no secret was set yet). */
  verified: boolean | null;
  verifyError: string | null;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** Requests answered 2xx. */
  accepted(): ReceivedWebhook[];
  /** The secret to verify with (shown once when the endpoint is created); null: accept without verifying. */
  setSecret(secret: string | null): void;
  /** The statuses of the next answers, in order; afterwards it answers 200. */
  answerNext(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { port?: number; host?: string } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const script: number[] = [];
  let secret: string | null = null;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified: boolean | null = null;
      let verifyError: string | null = null;
      if (secret) {
        try {
          new Webhook(secret).verify(body, request.headers as Record<string, string>);
          verified = true;
        } catch (error) {
          verified = false;
          verifyError = error instanceof Error ? error.message : String(error);
        }
      }
      const status = script.shift() ?? (verified === false ? 400 : 200);
      received.push({ headers: request.headers, body, answeredWith: status, verified, verifyError });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/hooks/sora`,
    port,
    received,
    accepted: () => received.filter((entry) => entry.answeredWith >= 200 && entry.answeredWith < 300),
    setSecret(value) {
      secret = value;
    },
    answerNext(...statuses) {
      script.push(...statuses);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
