import { randomBytes } from 'node:crypto';
import OpenAI, { InvalidWebhookSignatureError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createSigner } from '../src/index';
import { headerRecord, manualClock, sdkFor, startTestSimulator, startWebhookReceiver } from './helpers';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const receivers: Array<Awaited<ReturnType<typeof startWebhookReceiver>>> = [];

async function receiver(statuses: number[] = []) {
  const started = await startWebhookReceiver(statuses);
  receivers.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** The verifying side is the SDK itself, as the product's webhook route will use it. */
const verifier = new OpenAI({ apiKey: 'unused', webhookSecret: SECRET });

describe('signed webhook deliveries', () => {
  it('POSTs video.completed, signed so that client.webhooks.unwrap verifies it, without anyone polling', async () => {
    const hooks = await receiver();
    const sim = await startTestSimulator({ webhookUrl: hooks.url, webhookSecret: SECRET });
    const { id } = await sdkFor(sim).videos.create({ prompt: 'notify me [sim:duration=50]' });

    const [delivery] = await hooks.received(1);
    const event = await verifier.webhooks.unwrap(delivery!.body, headerRecord(delivery!.headers), SECRET);
    expect(event).toMatchObject({ object: 'event', type: 'video.completed', data: { id } });
    expect(event.id).toMatch(/^evt_[0-9a-f]+$/);
    expect(Number.isInteger(event.created_at)).toBe(true);
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['webhook-id']).toBe(event.id);
    // Only the create reached the API: the completion was noticed by the simulator's own timer.
    expect(sim.requests().map((entry) => entry.method)).toEqual(['POST']);

    await expect(
      verifier.webhooks.unwrap(
        delivery!.body,
        headerRecord(delivery!.headers),
        `whsec_${randomBytes(32).toString('base64')}`,
      ),
    ).rejects.toBeInstanceOf(InvalidWebhookSignatureError);
  });

  it('POSTs video.failed for a failing job, and nothing for a stuck one', async () => {
    const hooks = await receiver();
    const clock = manualClock();
    const sim = await startTestSimulator({
      webhookUrl: hooks.url,
      webhookSecret: SECRET,
      now: clock.now,
      generationMs: 1000,
    });
    const client = sdkFor(sim);
    await client.videos.create({ prompt: 'stuck [sim:stuck=10]' });
    const { id } = await client.videos.create({ prompt: 'doomed [sim:fail=moderation_blocked]' });
    clock.advance(60 * 60 * 1000);

    const [delivery] = await hooks.received(1);
    const event = await verifier.webhooks.unwrap(delivery!.body, headerRecord(delivery!.headers));
    expect(event).toMatchObject({ type: 'video.failed', data: { id } });
    expect(hooks.deliveries).toHaveLength(1);
  });

  it('retries a failed delivery with the same webhook-id and a fresh valid signature', async () => {
    const hooks = await receiver([500, 503]);
    const logged: string[] = [];
    const sim = await startTestSimulator({
      webhookUrl: hooks.url,
      webhookSecret: SECRET,
      logger: { info: () => {}, warn: (_obj, msg) => logged.push(msg ?? '') },
    });
    await sdkFor(sim).videos.create({ prompt: 'persist [sim:duration=20]' });

    const deliveries = await hooks.received(3);
    expect(new Set(deliveries.map((d) => d.headers['webhook-id'])).size).toBe(1);
    for (const delivery of deliveries) {
      await expect(
        verifier.webhooks.unwrap(delivery.body, headerRecord(delivery.headers)),
      ).resolves.toMatchObject({ type: 'video.completed' });
    }
    expect(logged.filter((msg) => msg.includes('will retry'))).toHaveLength(2);
  });

  it('can be pointed elsewhere at runtime, or switched off', async () => {
    const first = await receiver();
    const second = await receiver();
    const clock = manualClock();
    const sim = await startTestSimulator({ now: clock.now, generationMs: 1000 });
    const client = sdkFor(sim);

    expect(() => sim.setWebhook(first.url)).toThrow(/needs a secret/);
    sim.setWebhook(first.url, SECRET);
    await client.videos.create({ prompt: 'one' });
    clock.advance(1000);
    await first.received(1);

    sim.setWebhook(second.url); // keeps the secret
    const { id } = await client.videos.create({ prompt: 'two' });
    clock.advance(1000);
    const [delivery] = await second.received(1);
    expect(await verifier.webhooks.unwrap(delivery!.body, headerRecord(delivery!.headers))).toMatchObject({
      data: { id },
    });

    sim.setWebhook(null);
    const { id: silent } = await client.videos.create({ prompt: 'three' });
    clock.advance(1000);
    expect((await client.videos.retrieve(silent)).status).toBe('completed');
    expect(first.deliveries.length + second.deliveries.length).toBe(2);
  });

  it('signs non-whsec secrets as UTF-8 bytes, as the SDK verifies them', async () => {
    const sign = createSigner('plain-text-secret');
    const body = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'video.completed',
      created_at: 1,
      data: { id: 'video_1' },
    });
    const headers = sign('evt_1', new Date(), body);
    await expect(verifier.webhooks.unwrap(body, { ...headers }, 'plain-text-secret')).resolves.toMatchObject({
      id: 'evt_1',
    });
    expect(() => createSigner('')).toThrow(/empty/);
  });
});
