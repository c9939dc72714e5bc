import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DELIVERY_RETRY_POLICY,
  FAILURE_CODES,
  GENERATION_STATUSES,
  mayCauseOutgoingWebhooks,
  outgoingWebhookEvents,
  outgoingWebhookPayload,
  planCancelAutoRetry,
  planStuckFailure,
  planDeliveryTry,
  statusChangedEvent,
  testWebhookPayload,
  type DeliveryRetryPolicy,
  type NotifiedVideo,
} from '../../src/domain';

const RETRY_AT = new Date('2026-03-01T12:05:00.000Z');
const video = (overrides: Partial<NotifiedVideo> = {}): NotifiedVideo => ({
  id: '7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11',
  title: 'Paper boat',
  model: 'sora-2',
  size: '720x1280',
  seconds: 4,
  status: 'failed',
  progress: 40,
  errorCode: 'server_error',
  errorMessage: 'The service failed',
  autoRetryAt: null,
  completedAt: null,
  costUsd: null,
  updatedAt: new Date('2026-03-01T12:00:00.000Z'),
  ...overrides,
});

describe('which change causes which outgoing webhook', () => {
  it('a completed generation: video.completed', () => {
    const events = [statusChangedEvent('in_progress', 'completed', 'Done')];
    expect(outgoingWebhookEvents(events, video({ status: 'completed', errorCode: null }))).toEqual(['video.completed']);
  });

  it('a final failure: video.failed; one with an automatic retry planned: video.retrying', () => {
    const events = [statusChangedEvent('in_progress', 'failed', 'Failed')];
    expect(outgoingWebhookEvents(events, video())).toEqual(['video.failed']);
    expect(outgoingWebhookEvents(events, video({ autoRetryAt: RETRY_AT }))).toEqual(['video.retrying']);
  });

  it('a generation the stuck check stopped: video.stuck, then retrying or failed', () => {
    const plan = planStuckFailure({ status: 'in_progress' }, { timeoutMs: 900_000, autoRetryAt: RETRY_AT });
    expect(outgoingWebhookEvents(plan.events, video({ errorCode: FAILURE_CODES.stuckTimeout, autoRetryAt: RETRY_AT }))).toEqual([
      'video.stuck',
      'video.retrying',
    ]);
    const final = planStuckFailure({ status: 'in_progress' }, { timeoutMs: 900_000, autoRetryAt: null });
    expect(outgoingWebhookEvents(final.events, video({ errorCode: FAILURE_CODES.stuckTimeout }))).toEqual(['video.stuck', 'video.failed']);
  });

  it('a planned retry cancelled (or refused by the spend cap) makes the failure final: video.failed', () => {
    const { event } = planCancelAutoRetry({ status: 'failed', autoRetryAt: RETRY_AT });
    expect(outgoingWebhookEvents([event], video({ autoRetryAt: null }))).toEqual(['video.failed']);
    expect(outgoingWebhookEvents([{ type: 'auto_retry_refused', toStatus: 'failed' }], video())).toEqual(['video.failed']);
  });

  it('progress, queueing, a deferred retry, a reset or a download cause none', () => {
    const none = [
      { type: 'progress', toStatus: 'in_progress' as const },
      statusChangedEvent('not_started', 'queued', 'Queued'),
      statusChangedEvent('queued', 'in_progress', 'Started'),
      { type: 'auto_retry_deferred', toStatus: 'failed' as const },
      { type: 'reset', toStatus: 'not_started' as const },
      { type: 'download_progress', toStatus: 'in_progress' as const },
    ];
    expect(outgoingWebhookEvents(none, video({ status: 'in_progress', autoRetryAt: RETRY_AT }))).toEqual([]);
    expect(mayCauseOutgoingWebhooks(none)).toBe(false);
  });

  it('a change is written without reading its row back only when no committed row could make it cause one', () => {
    const types = ['status_changed', 'progress', 'auto_retry_cancelled', 'auto_retry_refused', 'auto_retry_deferred', 'reset', 'created'];
    const toStatuses = [...GENERATION_STATUSES, null];
    const rows = GENERATION_STATUSES.flatMap((status) =>
      [null, RETRY_AT].flatMap((autoRetryAt) =>
        [null, 'server_error', FAILURE_CODES.stuckTimeout].map((errorCode) => video({ status, autoRetryAt, errorCode })),
      ),
    );
    for (const type of types) {
      for (const toStatus of toStatuses) {
        const events = [{ type, toStatus }];
        const caused = rows.some((row) => outgoingWebhookEvents(events, row).length > 0);
        expect(mayCauseOutgoingWebhooks(events), `${type} → ${toStatus}`).toBe(caused);
      }
    }
  });
});

describe('payloads', () => {
  it('follow the Standard Webhooks shape with the video, its error and the planned retry', () => {
    const body = JSON.parse(outgoingWebhookPayload('video.retrying', video({ autoRetryAt: RETRY_AT }))) as Record<string, unknown>;
    expect(body).toEqual({
      type: 'video.retrying',
      timestamp: '2026-03-01T12:00:00.000Z',
      data: expect.objectContaining({
        videoId: '7d1c4c8e-2f4b-4a52-9a57-3f3b7b0c9e11',
        status: 'failed',
        error: { code: 'server_error', message: 'The service failed' },
        retryAt: RETRY_AT.toISOString(),
      }),
    });
    const done = JSON.parse(outgoingWebhookPayload('video.completed', video({ status: 'completed', errorCode: null, errorMessage: null, costUsd: 0.4, completedAt: RETRY_AT }))) as {
      data: Record<string, unknown>;
    };
    expect(done.data).toMatchObject({ error: null, retryAt: null, costUsd: 0.4, completedAt: RETRY_AT.toISOString() });
    expect(JSON.parse(testWebhookPayload('e1', RETRY_AT))).toMatchObject({ type: 'webhook.test', data: { endpointId: 'e1' } });
  });
});

describe('planning a delivery try', () => {
  const policy = (random = 0.5): DeliveryRetryPolicy => ({ ...DEFAULT_DELIVERY_RETRY_POLICY, random: () => random });
  const refused = { kind: 'not_delivered' as const, error: 'The receiver refused the connection', latencyMs: 3 };

  it('a 2xx answer delivers, with its code, latency and a cleaned snippet', () => {
    const plan = planDeliveryTry({ attempts: 2, ageMs: 60_000 }, { kind: 'answered', statusCode: 204, latencyMs: 12.4, responseSnippet: `ok\u0000\u001b${'x'.repeat(500)}` }, policy());
    expect(plan).toMatchObject({ status: 'succeeded', attempts: 3, retryInMs: null, lastStatusCode: 204, lastLatencyMs: 12, lastError: null });
    expect(plan.lastResponseSnippet).toHaveLength(200);
    expect(plan.lastResponseSnippet!.startsWith('okx')).toBe(true);
  });

  it('anything else is tried again after an exponential delay with jitter, naming the problem', () => {
    const first = planDeliveryTry({ attempts: 0, ageMs: 0 }, { kind: 'answered', statusCode: 503, latencyMs: 5, responseSnippet: 'busy' }, policy(0));
    expect(first).toMatchObject({ status: 'pending', attempts: 1, retryInMs: 15_000, lastStatusCode: 503, lastError: 'The receiver answered HTTP 503' });
    // Between half and all of base × 2^(tries − 1): never at once, never in lockstep.
    expect(planDeliveryTry({ attempts: 3, ageMs: 0 }, refused, policy(0)).retryInMs).toBe(120_000);
    expect(planDeliveryTry({ attempts: 3, ageMs: 0 }, refused, policy(0.999)).retryInMs).toBeGreaterThan(239_000);
    // At most capMs apart however many tries failed.
    expect(planDeliveryTry({ attempts: 40, ageMs: 0 }, refused, policy(0.999)).retryInMs).toBeLessThanOrEqual(DEFAULT_DELIVERY_RETRY_POLICY.capMs);
    // A redirect is not followed: it is not a delivery.
    expect(planDeliveryTry({ attempts: 0, ageMs: 0 }, { kind: 'answered', statusCode: 302, latencyMs: 1, responseSnippet: '' }, policy()).status).toBe('pending');
  });

  it('gives up, saying why, once the next try would come more than a day after the event', () => {
    const day = DEFAULT_DELIVERY_RETRY_POLICY.giveUpAfterMs;
    const late = planDeliveryTry({ attempts: 17, ageMs: day - 60_000 }, refused, policy());
    expect(late).toMatchObject({ status: 'failed', attempts: 18, retryInMs: null });
    expect(late.lastError).toBe('The receiver refused the connection. Gave up after 18 tries: the next would be more than 24 h after the event.');
    expect(planDeliveryTry({ attempts: 17, ageMs: day - 3 * 3_600_000 }, refused, policy()).status).toBe('pending');
  });
});
