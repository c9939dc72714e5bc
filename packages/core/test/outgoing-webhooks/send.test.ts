import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendWebhook, type PrivateAddressPolicy } from '../../src/outgoing-webhooks';
import { checkedLookup } from '../../src/outgoing-webhooks/send';

/* One try against real HTTP servers on 127.0.0.1 (allowed here as WEBHOOK_ALLOW_PRIVATE=true would). */

const ALLOW_ALL: PrivateAddressPolicy = { kind: 'allow_all' };
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

const send = (url: string, timeoutMs = 2_000, policy: PrivateAddressPolicy = ALLOW_ALL) =>
  sendWebhook({ url, headers: { 'content-type': 'application/json' }, body: '{"type":"webhook.test"}', timeoutMs, policy });

describe('one delivery try', () => {
  it('gives up on a receiver that does not answer within the time limit', async () => {
    const url = await serve(() => {
      // never answers
    });
    const started = Date.now();
    const result = await send(url, 300);
    expect(result).toMatchObject({ kind: 'not_delivered', error: 'No answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reads only the start of a huge answer and does not follow a redirect', async () => {
    const huge = await serve((_request, response) => response.writeHead(200).end('y'.repeat(5_000_000)));
    const result = await send(huge);
    expect(result.kind).toBe('answered');
    if (result.kind === 'answered') expect(result.responseSnippet.length).toBeLessThanOrEqual(200);

    let followed = false;
    const target = await serve((_request, response) => {
      followed = true;
      response.writeHead(200).end();
    });
    const redirect = await serve((_request, response) => response.writeHead(302, { location: target }).end());
    expect(await send(redirect)).toMatchObject({ kind: 'answered', statusCode: 302 });
    expect(followed).toBe(false);
  });

  it('names a refused connection, and sends nothing to an address the rule forbids', async () => {
    let reached = false;
    const url = await serve((_request, response) => {
      reached = true;
      response.writeHead(200).end();
    });
    expect(await send(url, 2_000, { kind: 'public_only' })).toMatchObject({ kind: 'not_delivered', error: expect.stringMatching(/^127\.0\.0\.1 is a loopback address/) });
    // By name too: every address the name resolves to is checked first.
    expect(await send(url.replace('127.0.0.1', 'localhost'), 2_000, { kind: 'public_only' })).toMatchObject({
      kind: 'not_delivered',
      error: expect.stringMatching(/^localhost resolves to .*, a loopback address/),
    });
    expect(reached).toBe(false);
    const closed = url.replace(/:\d+\//, ':9/');
    expect(await send(closed)).toMatchObject({ kind: 'not_delivered', error: 'The receiver refused the connection' });
  });
});

describe("the connection's own lookup", () => {
  const lookup = (policy: PrivateAddressPolicy, all: boolean) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      checkedLookup('localhost', policy)('localhost', { all }, (error, address) => resolve({ error, address })),
    );

  it('refuses at connect time an address the rule forbids (a DNS answer that changed since the check)', async () => {
    const refused = await lookup({ kind: 'public_only' }, false);
    expect(refused.error).toMatchObject({ code: 'EWEBHOOKADDRESS', message: expect.stringMatching(/^localhost resolves to .*, a loopback address/) });
    const allowed = await lookup({ kind: 'allow_all' }, true);
    expect(allowed.error).toBeNull();
    expect(allowed.address).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) })]));
  });
});
