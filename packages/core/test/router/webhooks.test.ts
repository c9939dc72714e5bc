import { userWebhookDeliveries } from '@sora-monitor/db';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLeaseOwnerFactory } from '../../src/generations';
import { createWebhookDispatcher, PUBLIC_ONLY, type OutgoingWebhookSettings, type PrivateAddressPolicy } from '../../src/outgoing-webhooks';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/testing/webhook-receiver';
import { expectTRPCError, pollStatus, RANDOM_VIDEO_ID, startHarness, startVideo, waitUntil, type Harness, type TestUser } from './harness';

/*
 * Outgoing webhooks through the router and the worker, on a real database (PGlite and PostgreSQL), the simulator and
 * a real receiver on 127.0.0.1 (allowed here as an operator would with WEBHOOK_ALLOW_PRIVATE=true).
 */

let h: Harness;
let ada: TestUser;
let mallory: TestUser;
let receiver: WebhookReceiver;
const ALLOW_ALL: PrivateAddressPolicy = { kind: 'allow_all' };

function useAddressPolicy(policy: PrivateAddressPolicy) {
  h.services.outgoingWebhooks = { ...h.services.outgoingWebhooks, settings: { ...h.services.outgoingWebhooks.settings, addressPolicy: policy } };
}

/** A worker as the server runs it, with short back-off so a retry is due within milliseconds. */
function dispatcher(overrides: Partial<OutgoingWebhookSettings> = {}) {
  return createWebhookDispatcher({
    db: h.db.db,
    logger: h.services.generations.logger,
    settings: { ...h.services.outgoingWebhooks.settings, retry: { baseMs: 20, capMs: 40, giveUpAfterMs: 60_000 }, timeoutMs: 2_000, ...overrides },
    nextLeaseOwner: createLeaseOwnerFactory('webhooks-test'),
  });
}

// Callers are made per call: a caller carries the services (and address rule) of the moment it was made.
const asAda = () => h.callerFor(ada);
const asMallory = () => h.callerFor(mallory);

const deliveriesOf = (endpointId: string) => h.db.db.select().from(userWebhookDeliveries).where(eq(userWebhookDeliveries.endpointId, endpointId));

beforeAll(async () => {
  h = await startHarness({ generationMs: 200 });
  useAddressPolicy(ALLOW_ALL);
  ada = await h.signUp('ada');
  mallory = await h.signUp('mallory');
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await h?.close();
});
afterEach(async () => {
  useAddressPolicy(ALLOW_ALL);
  for (const endpoint of await asAda().webhooks.list()) await asAda().webhooks.delete({ endpointId: endpoint.id });
});

describe('registering an endpoint', () => {
  it('returns its whsec_ secret once; the list never shows it', async () => {
    const created = await asAda().webhooks.create({ url: receiver.url, events: ['video.completed', 'video.failed', 'video.completed'] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(created.endpoint).toMatchObject({ url: receiver.url, events: ['video.completed', 'video.failed'] });
    const listed = await asAda().webhooks.list();
    expect(listed).toEqual([created.endpoint]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(await asMallory().webhooks.list()).toEqual([]);
  });

  it('refuses a loopback or private URL under the default rule, saying why; and other schemes', async () => {
    useAddressPolicy(PUBLIC_ONLY);
    for (const url of [receiver.url, 'http://10.0.0.8/hook', 'http://169.254.169.254/latest/meta-data', 'http://localhost:8080/x']) {
      const { error, shape } = await expectTRPCError(() => asAda().webhooks.create({ url, events: ['video.completed'] }));
      expect(error.code, url).toBe('BAD_REQUEST');
      expect(error.message, url).toMatch(/address: webhooks only go to public addresses.*WEBHOOK_ALLOW_PRIVATE/);
      expect((shape as { data: { appError: { field: string } } }).data.appError.field).toBe('url');
    }
    const { error } = await expectTRPCError(() => asAda().webhooks.create({ url: 'gopher://1.1.1.1/x', events: ['video.completed'] }));
    expect(error.message).toBe('Only http:// and https:// URLs can receive webhooks, not gopher://.');
    expect(await asAda().webhooks.list()).toEqual([]);
  });

  it('updates URL and events (checked the same way) and deletes with its log', async () => {
    const { endpoint } = await asAda().webhooks.create({ url: receiver.url, events: ['video.completed'] });
    const updated = await asAda().webhooks.update({ endpointId: endpoint.id, events: ['video.stuck', 'video.retrying'] });
    expect(updated.events).toEqual(['video.stuck', 'video.retrying']);
    useAddressPolicy(PUBLIC_ONLY);
    expect((await expectTRPCError(() => asAda().webhooks.update({ endpointId: endpoint.id, url: 'http://192.168.1.10/' }))).error.code).toBe('BAD_REQUEST');
    useAddressPolicy(ALLOW_ALL);
    await asAda().webhooks.sendTest({ endpointId: endpoint.id });
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
    await asAda().webhooks.delete({ endpointId: endpoint.id });
    expect(await deliveriesOf(endpoint.id)).toHaveLength(0);
    expect((await expectTRPCError(() => asAda().webhooks.deliveries({ endpointId: endpoint.id }))).error.code).toBe('NOT_FOUND');
  });

  it("treats another user's endpoint exactly like a random id", async () => {
    const { endpoint } = await asAda().webhooks.create({ url: receiver.url, events: ['video.completed'] });
    for (const call of [
      (endpointId: string) => asMallory().webhooks.deliveries({ endpointId }),
      (endpointId: string) => asMallory().webhooks.sendTest({ endpointId }),
      (endpointId: string) => asMallory().webhooks.update({ endpointId, events: ['video.failed'] }),
      (endpointId: string) => asMallory().webhooks.delete({ endpointId }),
    ]) {
      const theirs = await expectTRPCError(() => call(endpoint.id));
      const nobodys = await expectTRPCError(() => call(RANDOM_VIDEO_ID));
      expect(theirs.error.code).toBe('NOT_FOUND');
      expect(theirs.shape).toEqual(nobodys.shape);
    }
    expect(await asAda().webhooks.list()).toEqual([expect.objectContaining({ id: endpoint.id, events: ['video.completed'] })]);
  });

  it('allows 10 endpoints per account', async () => {
    for (let i = 0; i < 10; i++) await asAda().webhooks.create({ url: `${receiver.url}?n=${i}`, events: ['video.completed'] });
    const { error } = await expectTRPCError(() => asAda().webhooks.create({ url: receiver.url, events: ['video.completed'] }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/already have 10 webhook endpoints/);
  });
});

describe('deliveries', () => {
  it('a completed video is queued with its change and delivered signed, once; an endpoint that did not choose the event gets nothing', async () => {
    const { endpoint, secret } = await asAda().webhooks.create({ url: receiver.url, events: ['video.completed'] });
    const failuresOnly = await asAda().webhooks.create({ url: `${receiver.url}?failures`, events: ['video.failed'] });
    receiver.setSecret(secret);
    const before = receiver.received.length;
    const { video } = await startVideo(ada.caller, 'A paper boat for the webhook');
    await pollStatus(ada.caller, video.id, ['completed']);
    // Already in the queue the moment the change is visible: it was written in the same transaction.
    const [queued] = await deliveriesOf(endpoint.id);
    expect(queued).toMatchObject({ eventType: 'video.completed', videoId: video.id, status: 'pending', attempts: 0 });
    expect(await deliveriesOf(failuresOnly.endpoint.id)).toEqual([]);

    await dispatcher().runOnce();
    const arrived = receiver.received.slice(before);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]).toMatchObject({ verified: true, answeredWith: 200 });
    expect(arrived[0]!.headers['webhook-id']).toBe(`msg_${queued!.id}`);
    expect(JSON.parse(arrived[0]!.body)).toMatchObject({ type: 'video.completed', data: { videoId: video.id, status: 'completed' } });

    const [log] = await asAda().webhooks.deliveries({ endpointId: endpoint.id });
    expect(log).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200, nextAttemptAt: null, lastError: null, lastResponseSnippet: 'ok' });
    expect(log!.lastLatencyMs).toBeGreaterThanOrEqual(0);
    expect(await dispatcher().runOnce()).toBe(0);
    expect(receiver.received.slice(before)).toHaveLength(1);
  });

  it('a moderation failure (final) is video.failed', async () => {
    const { endpoint } = await asAda().webhooks.create({ url: receiver.url, events: ['video.failed', 'video.retrying'] });
    const { video } = await startVideo(ada.caller, 'Refused [sim:fail=moderation_blocked]');
    await pollStatus(ada.caller, video.id, ['failed']);
    expect((await deliveriesOf(endpoint.id)).map((row) => row.eventType)).toEqual(['video.failed']);
  });

  it('retries a refused try with back-off, recording code, error and next try, then delivers', async () => {
    const { endpoint, secret } = await asAda().webhooks.create({ url: receiver.url, events: ['video.completed'] });
    receiver.setSecret(secret);
    receiver.answerNext(503);
    const before = receiver.received.length;
    await asAda().webhooks.sendTest({ endpointId: endpoint.id });
    expect((await expectTRPCError(() => asAda().webhooks.sendTest({ endpointId: endpoint.id }))).error.code).toBe('CONFLICT');

    const worker = dispatcher();
    await worker.runOnce();
    const [waiting] = await asAda().webhooks.deliveries({ endpointId: endpoint.id });
    expect(waiting).toMatchObject({ eventType: 'webhook.test', status: 'pending', attempts: 1, lastStatusCode: 503, lastError: 'The receiver answered HTTP 503' });
    expect(waiting!.nextAttemptAt).not.toBeNull();

    await waitUntil(
      async () => (await worker.runOnce(), (await asAda().webhooks.deliveries({ endpointId: endpoint.id }))[0]!),
      (row) => row.status === 'succeeded',
    );
    const arrived = receiver.received.slice(before);
    expect(arrived.map((entry) => entry.answeredWith)).toEqual([503, 200]);
    expect(arrived.every((entry) => entry.verified)).toBe(true);
    // The same message both times, so a receiver can tell a repeat.
    expect(new Set(arrived.map((entry) => entry.headers['webhook-id'])).size).toBe(1);
  });

  it('checks the address again at delivery time: a rule tightened since registration stops the try, saying why', async () => {
    const { endpoint } = await asAda().webhooks.create({ url: receiver.url, events: ['video.completed'] });
    await asAda().webhooks.sendTest({ endpointId: endpoint.id });
    const before = receiver.received.length;
    await dispatcher({ addressPolicy: PUBLIC_ONLY }).runOnce();
    expect(receiver.received.length).toBe(before);
    const [row] = await asAda().webhooks.deliveries({ endpointId: endpoint.id });
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(row!.lastError).toMatch(/^127\.0\.0\.1 is a loopback address: webhooks only go to public addresses/);
  });

  it('gives up once the next try would fall outside the window, and marks it failed', async () => {
    const { endpoint } = await asAda().webhooks.create({ url: receiver.url, events: ['video.completed'] });
    receiver.answerNext(500);
    await asAda().webhooks.sendTest({ endpointId: endpoint.id });
    await dispatcher({ retry: { baseMs: 60_000, capMs: 60_000, giveUpAfterMs: 1_000 } }).runOnce();
    const [row] = await asAda().webhooks.deliveries({ endpointId: endpoint.id });
    expect(row).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null, lastStatusCode: 500 });
    expect(row!.lastError).toBe('The receiver answered HTTP 500. Gave up after 1 try: the next would be more than 1 s after the event.');
  });

  it('two workers claiming at once send each delivery exactly once (SKIP LOCKED leases)', async () => {
    const endpoints = [];
    for (let i = 0; i < 6; i++) endpoints.push((await asAda().webhooks.create({ url: `${receiver.url}?w=${i}`, events: ['video.completed'] })).endpoint);
    for (const endpoint of endpoints) await asAda().webhooks.sendTest({ endpointId: endpoint.id });
    receiver.setSecret(null);
    const before = receiver.received.length;
    const [one, two] = [dispatcher({ concurrency: 4 }), dispatcher({ concurrency: 4 })];
    await Promise.all([one.runOnce(), two.runOnce()]);
    await Promise.all([one.runOnce(), two.runOnce()]);
    const ids = receiver.received.slice(before).map((entry) => entry.headers['webhook-id']);
    expect(ids, JSON.stringify(receiver.received.slice(before).map((entry) => [entry.headers['webhook-id'], entry.answeredWith]))).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });
});
