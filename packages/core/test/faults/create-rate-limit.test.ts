import { startSimulator, type Simulator } from '@sora-monitor/simulator';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createOpenAIProvider,
  createUpstreamBudget,
  withUpstreamBudget,
  type VideoProvider,
} from '../../src/provider';

/*
 * A create refused with 429 made no job, so the budgeted provider asks again after the retry-after, a bounded number
 * of times. Anything whose outcome is unknown (a 5xx) must never be asked again: that could create a second, paid job.
 */

let sim: Simulator;
let provider: VideoProvider;

beforeAll(async () => {
  sim = await startSimulator({ generationMs: 300, retryAfterMs: 20 });
  const client = new OpenAI({ apiKey: sim.apiKey, baseURL: sim.url });
  provider = withUpstreamBudget(createOpenAIProvider({ client }), createUpstreamBudget(1_000_000));
});
afterAll(() => sim?.close());
beforeEach(() => sim.clearRequests());

const params = { prompt: 'A kite over the dunes', model: 'sora-2', size: '720x1280', seconds: 4 };
const creates = () => sim.requests().filter((entry) => entry.method === 'POST');

describe('a rate-limited create', () => {
  it('is asked again after the retry-after until the upstream takes it: one job', async () => {
    // One create served, then a burst of three 429s: the second create gets through on its fourth try.
    sim.setChaos({ faultCreates: true, rateLimitBurstEvery: 1, rateLimitBurstLength: 3 });
    expect((await provider.create(params)).kind).toBe('created');
    const started = Date.now();
    const result = await provider.create(params);

    expect(result.kind).toBe('created');
    expect(creates().map((entry) => entry.status)).toEqual([200, 429, 429, 429, 200]);
    // Each retry waited for the upstream's retry-after (20 ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 20 - 5);
  });

  it('gives up after three retries and reports it was not created', async () => {
    sim.setChaos({ faultCreates: true, rateLimitBurstEvery: 1, rateLimitBurstLength: 10 });
    expect((await provider.create(params)).kind).toBe('created');
    const result = await provider.create(params);

    expect(result).toMatchObject({
      kind: 'not_created',
      failure: { kind: 'unavailable', reason: 'rate_limited' },
    });
    expect(creates().map((entry) => entry.status)).toEqual([200, 429, 429, 429, 429]);
  });

  it('is not confused with a 503, whose outcome is unknown: asked once, never again', async () => {
    sim.setChaos({ faultCreates: true, unavailableRate: 1 });
    const result = await provider.create(params);

    expect(result).toMatchObject({
      kind: 'unknown',
      failure: { kind: 'unavailable', reason: 'server_error' },
    });
    expect(creates().map((entry) => entry.status)).toEqual([503]);
  });
});
