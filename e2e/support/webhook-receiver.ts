import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A user's webhook receiver, run by the test: answers with scripted statuses and verifies with `standardwebhooks`. */
export interface Receiver {
  url: string;
  received: Array<{ headers: IncomingHttpHeaders; body: string; status: number; verified: boolean }>;
  setSecret(secret: string): void;
  /** While busy, every request is answered 503 (so the test can watch the retries before letting one through). */
  setBusy(busy: boolean): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = [];
  let busy = false;
  let secret = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified: boolean;
      try {
        new Webhook(secret).verify(body, request.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const status = busy ? 503 : verified ? 200 : 400;
      received.push({ headers: request.headers, body, status, verified });
      response.writeHead(status).end(status < 300 ? 'thanks' : 'busy');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/sora`,
    received,
    setSecret: (value) => void (secret = value),
    setBusy: (value) => void (busy = value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
