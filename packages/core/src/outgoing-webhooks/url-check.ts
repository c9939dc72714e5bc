import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { addressVerdict, ALLOW_PRIVATE_VARIABLE, type PrivateAddressPolicy } from './address-policy';

/** Resolves a host name to every address it has (the system resolver, as the request itself will use). */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export const resolveWithSystem: ResolveHost = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export const WEBHOOK_URL_MAX_LENGTH = 2_000;

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Whether a webhook may be sent to `raw`: an absolute http(s) URL without credentials, whose host is, or resolves
 * only to, addresses the policy allows. Checked when an endpoint is registered and again before every try (DNS can
 * change; the try also pins the connection to the addresses checked, see send.ts).
 */
export async function checkWebhookUrl(raw: string, policy: PrivateAddressPolicy, resolve: ResolveHost = resolveWithSystem): Promise<UrlCheck> {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, reason: `The URL is longer than ${WEBHOOK_URL_MAX_LENGTH} characters.` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'This is not an absolute URL such as https://example.com/hooks/sora.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `Only http:// and https:// URLs can receive webhooks, not ${url.protocol}//.` };
  }
  if (url.username || url.password) {
    return { ok: false, reason: 'The URL must not contain a user name or password; put a token in the path or query instead.' };
  }
  const host = hostOf(url);
  const addresses = await addressesOf(host, resolve);
  if ('problem' in addresses) return { ok: false, reason: addresses.problem };
  const reason = refusalReason(host, addresses.list, policy);
  return reason ? { ok: false, reason } : { ok: true, url };
}

/** Why none of `addresses` may be used for `host`, or null when all of them may. */
export function refusalReason(host: string, addresses: string[], policy: PrivateAddressPolicy): string | null {
  for (const address of addresses) {
    const verdict = addressVerdict(address, policy);
    if (!verdict.allowed) {
      const where = ipaddr.isValid(host) ? verdict.reason : `${host} resolves to ${verdict.address}, a ${verdict.rangeName} address`;
      return `${where}: webhooks only go to public addresses, so they cannot reach this server's own network (an operator can allow such addresses with ${ALLOW_PRIVATE_VARIABLE}).`;
    }
  }
  return null;
}

async function addressesOf(host: string, resolve: ResolveHost): Promise<{ list: string[] } | { problem: string }> {
  if (ipaddr.isValid(host)) return { list: [host] };
  try {
    const list = await resolve(host);
    if (list.length === 0) return { problem: `${host} does not resolve to any address.` };
    return { list };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { problem: `${host} could not be resolved${code ? ` (${code})` : ''}; check the host name.` };
  }
}
