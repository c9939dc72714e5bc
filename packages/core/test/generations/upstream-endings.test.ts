import { claimVideoForRefresh, listEventsForVideo } from '@sora-monitor/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_CANCELLED_MESSAGE, JOB_EXPIRED_MESSAGE } from '../../src/domain';
import { refreshClaimed, toStatusView, type GenerationDeps } from '../../src/generations';
import { createOpenAIProvider } from '../../src/provider';
import { startHarness, startVideo, type Harness, type TestUser } from '../router/harness';
import { json, startFakeGateway, type FakeGateway } from '../support/fake-gateway';

let h: Harness;
let ada: TestUser;
let gateway: FakeGateway;
/** What the gateway answers for GET /v1/videos/{id}, set per test. */
let answer: Record<string, unknown> = {};

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('ada');
  gateway = await startFakeGateway((url) =>
    url.pathname.endsWith('/content')
      ? // The finished video cannot be fetched (yet): a download to retry.
        json({ error: { message: 'Service unavailable', type: 'server_error' } }, 503)
      : json({ id: url.pathname.split('/').pop(), ...answer }),
  );
});
afterAll(async () => {
  await gateway?.close();
  await h?.close();
});

/** A generation whose job's status (and content) are read, through the real SDK, from the gateway. */
async function startOnGateway() {
  const gatewayProvider = createOpenAIProvider({
    client: new OpenAI({ apiKey: 'test', baseURL: gateway.url, maxRetries: 0 }),
  });
  const deps: GenerationDeps = {
    ...h.services.generations,
    provider: {
      ...h.services.generations.provider,
      retrieve: gatewayProvider.retrieve,
      download: gatewayProvider.download,
    },
  };
  const { video } = await startVideo(ada.caller, `Ends upstream ${Math.random()} [sim:duration=60000]`);
  /** One poll through the refresh path, the gateway answering `body`. */
  const poll = async (body: Record<string, unknown>) => {
    answer = body;
    const owner = deps.nextLeaseOwner();
    const claim = await claimVideoForRefresh(h.db.db, {
      videoId: video.id,
      owner,
      freshForMs: 0,
      leaseMs: 60_000,
    });
    const result = await refreshClaimed(deps, claim!.video, new Date(claim!.dbNowMs), owner, 'poller');
    return { row: result.video, events: await listEventsForVideo(h.db.db, video.id) };
  };
  return { poll };
}

async function pollOnceWith(body: Record<string, unknown>) {
  return (await startOnGateway()).poll(body);
}

describe('expired, cancelled and FAILURE end the generation on the first poll, each with its own message', () => {
  // The last column: whether a new attempt is planned automatically. An expired job that never produced its video
  // was lost by the service (retried); cancelled never is; a FAILURE without a code we know is not.
  it.each([
    [{ status: 'expired' }, 'job_expired', JOB_EXPIRED_MESSAGE, true],
    [
      { status: 'CANCELED', error: { code: 'internal_error', message: 'whatever' } },
      'job_cancelled',
      JOB_CANCELLED_MESSAGE,
      false,
    ],
    [{ status: 'cancelled' }, 'job_cancelled', JOB_CANCELLED_MESSAGE, false],
    [
      { status: 'FAILURE', error: 'Upstream task failed: no credits' },
      null,
      'Upstream task failed: no credits',
      false,
    ],
  ])('%j -> failed (%s)', async (body, code, message, retried) => {
    const { row, events } = await pollOnceWith(body);
    expect(row).toMatchObject({
      soraGenerationStatus: 'failed',
      soraErrorCode: code,
      soraErrorMessage: message,
    });
    expect(row.autoRetryAt !== null).toBe(retried);
    expect(toStatusView(row)).toMatchObject({
      status: 'failed',
      error: message,
      message: `Generation failed: ${message}`,
    });
    expect(events.filter((event) => event.toStatus === 'failed')).toHaveLength(1);
  });

  it('a job that expires after producing its video (before it could be downloaded) is not retried automatically', async () => {
    const { poll } = await startOnGateway();
    const done = await poll({ status: 'SUCCESS', progress: '100%' });
    // Upstream finished; the download answered 503, so the generation waits at 100% to fetch it again.
    expect(done.row).toMatchObject({ soraGenerationStatus: 'in_progress', soraProgress: 100 });
    const { row } = await poll({ status: 'expired' });
    expect(row).toMatchObject({
      soraGenerationStatus: 'failed',
      soraErrorCode: 'job_expired',
      soraErrorMessage: JOB_EXPIRED_MESSAGE,
      autoRetryAt: null,
    });
  });

  it('a new-api answer in progress ("IN_PROGRESS", progress "45%", created_at in ms) is followed, not rejected', async () => {
    const { row } = await pollOnceWith({ status: 'IN_PROGRESS', progress: '45%', created_at: Date.now() });
    expect(row).toMatchObject({
      soraGenerationStatus: 'in_progress',
      soraProgress: 45,
      pollFailures: 0,
      lastPollError: null,
    });
  });
});
