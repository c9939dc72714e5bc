import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

/** The outgoing-webhook variables (README's Configuration table). */
describe('loadConfig: outgoing webhooks', () => {
  it('defaults to public addresses only, a 30 s first retry and a 10 s timeout', () => {
    expect(loadConfig({}).outgoingWebhooks).toEqual({ addressPolicy: { kind: 'public_only' }, retryBaseMs: 30_000, timeoutMs: 10_000 });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'false' }).outgoingWebhooks.addressPolicy).toEqual({ kind: 'public_only' });
  });

  it('takes true, or a list of CIDR ranges, for WEBHOOK_ALLOW_PRIVATE', () => {
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).outgoingWebhooks.addressPolicy).toEqual({ kind: 'allow_all' });
    const ranges = loadConfig({ WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8,fd00::/8' }).outgoingWebhooks.addressPolicy;
    expect(ranges.kind === 'allow_ranges' && ranges.ranges.map(([address, bits]) => `${address.toString()}/${bits}`)).toEqual(['10.0.0.0/8', 'fd00::/8']);
  });

  it('refuses anything else, naming the variable and the part that is wrong', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8,internal' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8,internal' })).toThrow(
      'WEBHOOK_ALLOW_PRIVATE="10.0.0.0/8,internal": must be true, false, or a comma-separated list of CIDR ranges such as 10.0.0.0/8,fd00::/8; "internal" is not a CIDR range',
    );
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '60000' })).toThrow(/WEBHOOK_TIMEOUT_MS="60000"/);
    expect(() => loadConfig({ WEBHOOK_RETRY_BASE_MS: 'soon' })).toThrow('WEBHOOK_RETRY_BASE_MS="soon": must be a whole number');
  });
});
