import ipaddr from 'ipaddr.js';

/*
 * Where outgoing webhooks may go (SSRF): public unicast addresses only, unless the operator allows more with
 * WEBHOOK_ALLOW_PRIVATE (`true` for any address, or a list of CIDR ranges).
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export type PrivateAddressPolicy =
  | { kind: 'public_only' }
  | { kind: 'allow_all' }
  | { kind: 'allow_ranges'; ranges: Array<[Address, number]> };

export const PUBLIC_ONLY: PrivateAddressPolicy = { kind: 'public_only' };

/** The variable that relaxes the rule, named in every refusal so an operator knows where to look. */
export const ALLOW_PRIVATE_VARIABLE = 'WEBHOOK_ALLOW_PRIVATE';

/**
 * Reads WEBHOOK_ALLOW_PRIVATE: unset, empty or `false` → public addresses only; `true` → any address; otherwise a
 * comma-separated list of CIDR ranges (`10.0.0.0/8,fd00::/8`) allowed on top of public ones.
 */
export function parsePrivateAddressPolicy(value: string | undefined): { policy: PrivateAddressPolicy } | { problem: string } {
  const text = value?.trim() ?? '';
  if (text === '' || text.toLowerCase() === 'false') return { policy: PUBLIC_ONLY };
  if (text.toLowerCase() === 'true') return { policy: { kind: 'allow_all' } };
  const ranges: Array<[Address, number]> = [];
  for (const part of text.split(',').map((item) => item.trim())) {
    try {
      ranges.push(ipaddr.parseCIDR(part));
    } catch {
      return { problem: `must be true, false, or a comma-separated list of CIDR ranges such as 10.0.0.0/8,fd00::/8; ${JSON.stringify(part)} is not a CIDR range` };
    }
  }
  return { policy: { kind: 'allow_ranges', ranges } };
}

/** ipaddr.js's range names, as people say them. */
const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private (RFC 1918)',
  linkLocal: 'link-local',
  uniqueLocal: 'private (unique local)',
  carrierGradeNat: 'shared (carrier-grade NAT)',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  reserved: 'reserved',
};

export type AddressVerdict = { allowed: true } | { allowed: false; address: string; rangeName: string; reason: string };

/** Whether a webhook may be sent to `address` (an IP literal); the reason names the range when not. */
export function addressVerdict(address: string, policy: PrivateAddressPolicy): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, address, rangeName: 'invalid', reason: `${address} is not an IP address` };
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it reaches.
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return { allowed: true };
  if (policy.kind === 'allow_all') return { allowed: true };
  if (policy.kind === 'allow_ranges' && policy.ranges.some((cidr) => cidr[0].kind() === parsed.kind() && parsed.match(cidr))) {
    return { allowed: true };
  }
  const rangeName = RANGE_NAMES[range] ?? `non-public (${range})`;
  return { allowed: false, address: parsed.toString(), rangeName, reason: `${parsed.toString()} is a ${rangeName} address` };
}
