import { describe, expect, it } from 'vitest';
import { addressVerdict, checkWebhookUrl, parsePrivateAddressPolicy, PUBLIC_ONLY, type PrivateAddressPolicy } from '../../src/outgoing-webhooks';

const policyOf = (text: string): PrivateAddressPolicy => {
  const parsed = parsePrivateAddressPolicy(text);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.policy;
};
const noDns = () => Promise.reject(Object.assign(new Error('no DNS in this test'), { code: 'ENOTFOUND' }));

describe('which addresses webhooks may go to', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private (RFC 1918)'],
    ['172.16.0.1', 'private (RFC 1918)'],
    ['192.168.1.1', 'private (RFC 1918)'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'private (unique local)'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private (RFC 1918)'],
  ])('refuses %s, naming it %s', (address, name) => {
    const verdict = addressVerdict(address, PUBLIC_ONLY);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain(`a ${name} address`);
  });

  it('refuses what embeds another address (NAT64, 6to4) and reserved ranges', () => {
    for (const address of ['64:ff9b::7f00:1', '2002:7f00:1::1', '192.0.2.1', '2001:db8::1']) expect(addressVerdict(address, PUBLIC_ONLY).allowed, address).toBe(false);
  });

  it('allows public unicast addresses', () => {
    for (const address of ['1.1.1.1', '8.8.8.8', '2606:4700:4700::1111']) expect(addressVerdict(address, PUBLIC_ONLY)).toEqual({ allowed: true });
  });

  it('lets an operator allow every address, or only listed ranges', () => {
    expect(addressVerdict('127.0.0.1', policyOf('true')).allowed).toBe(true);
    const ranges = policyOf('10.0.0.0/8, fd00::/8');
    expect(addressVerdict('10.9.9.9', ranges).allowed).toBe(true);
    expect(addressVerdict('fd12::1', ranges).allowed).toBe(true);
    expect(addressVerdict('127.0.0.1', ranges).allowed).toBe(false);
    expect(addressVerdict('192.168.0.1', ranges).allowed).toBe(false);
  });

  it('reads WEBHOOK_ALLOW_PRIVATE strictly, naming the part that is wrong', () => {
    expect(parsePrivateAddressPolicy(undefined)).toEqual({ policy: PUBLIC_ONLY });
    expect(parsePrivateAddressPolicy('false')).toEqual({ policy: PUBLIC_ONLY });
    expect(parsePrivateAddressPolicy('TRUE')).toEqual({ policy: { kind: 'allow_all' } });
    expect(parsePrivateAddressPolicy('10.0.0.0/8,yes')).toEqual({
      problem: 'must be true, false, or a comma-separated list of CIDR ranges such as 10.0.0.0/8,fd00::/8; "yes" is not a CIDR range',
    });
    expect('problem' in parsePrivateAddressPolicy('10.0.0.0')).toBe(true);
  });
});

describe('checking an endpoint URL', () => {
  const check = (url: string, policy = PUBLIC_ONLY) => checkWebhookUrl(url, policy, noDns);

  it('accepts a public http(s) URL', async () => {
    expect(await check('https://1.1.1.1/hooks/sora?token=abc')).toMatchObject({ ok: true });
    expect(await check('http://[2606:4700:4700::1111]:8080/x')).toMatchObject({ ok: true });
  });

  it('refuses other schemes, credentials, and what is not a URL, saying why', async () => {
    expect(await check('ftp://1.1.1.1/x')).toEqual({ ok: false, reason: 'Only http:// and https:// URLs can receive webhooks, not ftp://.' });
    expect(await check('file:///etc/passwd')).toMatchObject({ ok: false });
    expect(await check('https://user:pw@1.1.1.1/')).toMatchObject({ ok: false, reason: expect.stringContaining('user name or password') });
    expect(await check('not a url')).toMatchObject({ ok: false, reason: expect.stringContaining('not an absolute URL') });
  });

  it('refuses loopback, private and link-local hosts however they are written, naming the rule and the variable', async () => {
    const loopback = await check('http://127.0.0.1:3000/hook');
    expect(loopback).toEqual({
      ok: false,
      reason:
        "127.0.0.1 is a loopback address: webhooks only go to public addresses, so they cannot reach this server's own network (an operator can allow such addresses with WEBHOOK_ALLOW_PRIVATE).",
    });
    // The URL parser normalises odd spellings to the address they mean before the check.
    for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://[::ffff:7f00:1]/', 'http://169.254.169.254/latest/meta-data']) {
      expect(await check(url), url).toMatchObject({ ok: false });
    }
  });

  it('checks every address a name resolves to (the real resolver: localhost)', async () => {
    const viaDns = await checkWebhookUrl('http://localhost:9/hook', PUBLIC_ONLY);
    expect(viaDns).toMatchObject({ ok: false, reason: expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address: webhooks only go to public addresses/) });
    expect(await checkWebhookUrl('http://localhost:9/hook', policyOf('true'))).toMatchObject({ ok: true });
    const unresolvable = await check('https://no-such-host.invalid/hook');
    expect(unresolvable).toEqual({ ok: false, reason: 'no-such-host.invalid could not be resolved (ENOTFOUND); check the host name.' });
  });
});
