import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { RESPONSE_SNIPPET_LENGTH, type DeliveryTryResult } from '../domain';
import type { PrivateAddressPolicy } from './address-policy';
import { checkWebhookUrl, hostOf, refusalReason } from './url-check';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  policy: PrivateAddressPolicy;
  /** Aborts the request (the worker is stopping); the result then says so. */
  signal?: AbortSignal;
}

/** The most of an answer read before the connection is dropped: enough for the snippet, never a whole body. */
const MAX_RESPONSE_BYTES = 4 * RESPONSE_SNIPPET_LENGTH;

/**
 * POSTs one delivery. The URL is checked again, and the connection can only go to addresses the policy allows: the
 * name is resolved by a lookup that refuses any other address at connect time, so a DNS answer that changed since
 * the check (rebinding) cannot slip through. Redirects are not followed. The whole try is bounded by `timeoutMs`.
 */
export async function sendWebhook(request: WebhookRequest): Promise<DeliveryTryResult> {
  const check = await checkWebhookUrl(request.url, request.policy);
  if (!check.ok) return { kind: 'not_delivered', error: check.reason, latencyMs: null };
  const url = check.url;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;

  return new Promise<DeliveryTryResult>((resolve) => {
    const transport = url.protocol === 'https:' ? https : http;
    const outgoing = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        lookup: checkedLookup(hostOf(url), request.policy),
        signal,
      },
      (response) => {
        const latencyMs = elapsed();
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          response.destroy();
          resolve({
            kind: 'answered',
            statusCode: response.statusCode ?? 0,
            latencyMs,
            responseSnippet: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_SNIPPET_LENGTH),
          });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_RESPONSE_BYTES) finish();
        });
        response.on('end', finish);
        // A body cut short still leaves the status, which is what decides.
        response.on('error', finish);
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ kind: 'not_delivered', error: describeRequestError(error, timeout, request.timeoutMs), latencyMs: elapsed() });
    });
    outgoing.end(request.body);
  });
}

function describeRequestError(error: NodeJS.ErrnoException, timeout: AbortSignal, timeoutMs: number): string {
  if (timeout.aborted) return `No answer within ${timeoutMs} ms`;
  if (error.name === 'AbortError') return 'The worker stopped before an answer came';
  if (error.code === 'ECONNREFUSED') return 'The receiver refused the connection';
  if (error.code === 'ECONNRESET') return 'The receiver closed the connection before answering';
  if (error.code === 'ENOTFOUND') return 'The host name could not be resolved';
  if (error.code === 'EWEBHOOKADDRESS') return error.message;
  return error.code ? `${error.code}: ${error.message}` : error.message;
}

/**
 * The resolver the connection uses: the system's, then every address is checked against the policy. An IP literal
 * needs none (Node connects to it directly), and it was checked with the URL.
 */
export function checkedLookup(host: string, policy: PrivateAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const reason = refusalReason(host, addresses.map((entry) => entry.address), policy);
      if (reason) {
        const refused = Object.assign(new Error(reason), { code: 'EWEBHOOKADDRESS' });
        return callback(refused, '', 0);
      }
      if (options.all) return (callback as unknown as (err: null, all: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family ?? (ipaddr.parse(first.address).kind() === 'ipv6' ? 6 : 4));
    });
  };
}
