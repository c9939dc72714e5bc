import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectSignUp } from '../support/http-app';
import { startProductionApp, type ProductionApp } from './production-app';

/*
 * What the server tells someone who is not signed in about its insides: /metrics only with METRICS_TOKEN (and not at
 * all without one), /readyz and system.health only ready or not ready (and whether the provider is the simulator),
 * never the upstream URL, the database kind or a driver's error text, not even with the database down.
 */

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describe('/metrics', () => {
  let app: ProductionApp;
  let without: ProductionApp;
  beforeAll(async () => {
    app = await startProductionApp({ env: { METRICS_TOKEN } });
    without = await startProductionApp();
  });
  afterAll(async () => {
    await app?.close();
    await without?.close();
  });

  it('answers 401 without the bearer token or with a wrong one, and the metrics with it', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, `Basic ${METRICS_TOKEN}`, METRICS_TOKEN]) {
      const response = await app.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect({ authorization, status: response.statusCode }).toEqual({ authorization, status: 401 });
      expect(response.body).not.toMatch(/sora_|process_/);
    }
    const scraped = await app.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toMatch(/^# HELP /m);
  });

  it('does not exist without a METRICS_TOKEN', async () => {
    const response = await without.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer anything' } });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toMatch(/# HELP/);
  });

  it('/readyz says ready to anyone, and its details only to the holder of METRICS_TOKEN', async () => {
    const anonymous = await app.app.inject({ method: 'GET', url: '/readyz' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ status: 'ready' });
    const operator = await app.app.inject({ method: 'GET', url: '/readyz', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(operator.json()).toMatchObject({ status: 'ready', database: { reachable: true, migrated: true } });
  });

  it('system.health tells a stranger ready and simulated only; a signed-in user also the provider and database', async () => {
    const anonymous = await app.trpc(null, 'query', 'system.health');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ result: { data: { ok: true, provider: { simulated: true } } } });
    expect(anonymous.body).not.toContain(app.sim.url);

    const ada = await app.signUp('ada');
    const signedIn = (await app.trpc(ada, 'query', 'system.health')).json() as { result: { data: Record<string, unknown> } };
    expect(signedIn.result.data).toMatchObject({
      ok: true,
      version: 'test',
      provider: { simulated: true, baseURL: app.sim.url },
      database: { reachable: true, migrated: true },
    });
  });
});

describe('with the database down, in production', () => {
  let app: ProductionApp;
  beforeAll(async () => {
    app = await startProductionApp();
    await app.database.handle.close();
  });
  afterAll(() => app?.close());

  it('/readyz and system.health say not ready and nothing about why', async () => {
    const ready = await app.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not_ready' });

    const health = await app.trpc(null, 'query', 'system.health');
    expect(health.json()).toEqual({ result: { data: { ok: false, provider: { simulated: true } } } });
    // The operator finds the reason in the log.
    expect(app.logText()).toMatch(/Not ready/);
  });
});

describe('accounts (ASVS enumeration: see docs/SECURITY.md for sign-up)', () => {
  let app: ProductionApp;
  beforeAll(async () => {
    app = await startProductionApp();
  });
  afterAll(() => app?.close());

  it('sign-in answers an unknown account exactly like a wrong password', async () => {
    const { email: knownEmail } = await injectSignUp(app.app, 'known');
    const attempt = (email: string) =>
      app.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        payload: JSON.stringify({ email, password: 'not the password' }),
      });
    const known = await attempt(knownEmail);
    expect(known.statusCode).toBe(401);
    const unknown = await attempt('nobody-here@example.com');
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.body).toBe(known.body);
  });
});
