import { listEventsForVideo, listGenerationsForVideo } from '@sora-monitor/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure, failedMessage, PROMPT_EDITED_MESSAGE, PROMPT_MAX_LENGTH } from '../../src/domain';
import { startGeneration } from '../../src/generations';
import { createOpenAIProvider } from '../../src/provider';
import { startFakeGateway } from '../support/fake-gateway';
import { expectTRPCError, pollStatus, startHarness, startVideo, type Harness, type TestUser } from './harness';

/*
 * Failures are told by what happened (the step, the HTTP status, the service's code), through the real SDK against
 * the simulator; the service's message is stored as it is, and the advice is derived for display.
 */

let h: Harness;
let ada: TestUser;

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('ada');
});
afterAll(() => h?.close());

describe('a create the service refuses with HTTP 400', () => {
  it('is an invalid request at submission: "The service rejected the request", edit the prompt first', async () => {
    const { video, started } = await startVideo(ada.caller, 'A bogus marker [sim:bogus]');

    expect(started).toMatchObject({ status: 'failed', jobId: null, errorCode: 'http_400:invalid_simulator_marker' });
    const info = classifyFailure(started.errorCode);
    expect(info).toMatchObject({
      kind: 'invalid_request',
      step: 'submission',
      httpStatus: 400,
      title: 'The service rejected the request',
      primaryAction: 'edit_prompt',
      autoRetryable: false,
    });
    expect(info.explanation).not.toMatch(/download/i);
    expect(info.advice).toMatch(/edit the prompt/i);

    // The stored text is the simulator's own message, with nothing of our advice in it.
    const upstreamMessage = await upstreamCreateMessage('A bogus marker [sim:bogus]');
    expect(started.error).toBe(upstreamMessage);
    expect(started.error).not.toContain(info.advice);
    const [attempt] = await listGenerationsForVideo(h.db.db, video.id);
    expect(attempt).toMatchObject({ status: 'failed', errorCode: 'http_400:invalid_simulator_marker', errorMessage: upstreamMessage });
    const failedEvent = (await listEventsForVideo(h.db.db, video.id)).find((event) => event.toStatus === 'failed');
    expect(failedEvent?.message).toBe(failedMessage(upstreamMessage));
    expect(failedEvent?.data).toMatchObject({ code: 'http_400:invalid_simulator_marker' });
  });

  it('a 429 whose code says the quota is used up is a quota failure, not a busy service', async () => {
    // The simulator's 429s are rate limits; OpenAI's out-of-quota answer is a 429 too, with its own code.
    const gateway = await startFakeGateway(() => ({
      status: 429,
      contentType: 'application/json',
      body: JSON.stringify({ error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }),
    }));
    try {
      const provider = createOpenAIProvider({ client: new OpenAI({ apiKey: 'test', baseURL: gateway.url, maxRetries: 0 }) });
      const video = await ada.caller.videos.create({ prompt: 'Out of quota' });
      const failed = await startGeneration({ ...h.services.generations, provider }, ada.id, video.id);

      expect(failed).toMatchObject({ soraGenerationStatus: 'failed', soraErrorCode: 'http_429:insufficient_quota', soraErrorMessage: 'You exceeded your current quota.' });
      expect(classifyFailure(failed.soraErrorCode)).toMatchObject({ kind: 'quota', step: 'submission', httpStatus: 429, primaryAction: 'retry' });
    } finally {
      await gateway.close();
    }
  });

  it('a failure the service reports for a running job is told by its code, at the generation step', async () => {
    const { video } = await startVideo(ada.caller, 'A blocked street [sim:fail=moderation_blocked]');
    const failed = await pollStatus(ada.caller, video.id, ['failed', 'completed']);

    expect(failed).toMatchObject({ status: 'failed', errorCode: 'moderation_blocked', error: 'Your request was blocked by our moderation system.' });
    expect(classifyFailure(failed.errorCode)).toMatchObject({ kind: 'moderation', step: 'generation', primaryAction: 'edit_prompt' });
  });
});

describe('sora.retry with a new prompt ("Edit prompt and retry")', () => {
  it('stores the prompt, records the edit, and the new attempt sends it upstream', async () => {
    const { video } = await startVideo(ada.caller, 'A bogus marker again [sim:bogus]');
    const prompt = 'A paper boat on a rainy street';

    const retried = await ada.caller.sora.retry({ videoId: video.id, prompt: `  ${prompt}  ` });

    expect(retried.status).toBe('queued');
    expect((await ada.caller.videos.get({ videoId: video.id })).prompt).toBe(prompt);
    const attempts = await listGenerationsForVideo(h.db.db, video.id);
    // Newest first: the new attempt sent the new prompt; the failed one keeps the prompt it sent.
    expect(attempts.map((attempt) => attempt.prompt)).toEqual([prompt, 'A bogus marker again [sim:bogus]']);
    const sent = h.jobRequests(retried.jobId!).find((entry) => entry.method === 'POST');
    expect(sent).toBeDefined();
    const upstream = await fetch(`${h.sim.url}/videos/${retried.jobId}`, { headers: { authorization: `Bearer ${h.sim.apiKey}` } });
    expect(((await upstream.json()) as { prompt: string }).prompt).toBe(prompt);
    const edited = (await listEventsForVideo(h.db.db, video.id)).find((event) => event.type === 'prompt_edited');
    expect(edited).toMatchObject({ actor: 'user', message: PROMPT_EDITED_MESSAGE, data: { previousPrompt: 'A bogus marker again [sim:bogus]' } });
  });

  it('checks the prompt like a new video does: a bad one is a BAD_REQUEST naming it, and nothing changes', async () => {
    const { video } = await startVideo(ada.caller, 'Refused at once [sim:bogus]');
    for (const prompt of ['   ', 'x'.repeat(PROMPT_MAX_LENGTH + 1), 'nul \u0000 inside']) {
      const { shape } = await expectTRPCError(() => ada.caller.sora.retry({ videoId: video.id, prompt }));
      expect(shape.code).toBe(-32600);
      expect(shape.message).toMatch(/prompt/);
    }
    expect((await ada.caller.videos.get({ videoId: video.id })).prompt).toBe('Refused at once [sim:bogus]');
    expect(await listGenerationsForVideo(h.db.db, video.id)).toHaveLength(1);
  });

  it('refuses a new prompt while a generation runs (CONFLICT), leaving the prompt as it was', async () => {
    const { video } = await startVideo(ada.caller, 'Still running [sim:duration=60000]');
    const { shape } = await expectTRPCError(() => ada.caller.sora.retry({ videoId: video.id, prompt: 'Something else' }));
    expect(shape.data.code).toBe('CONFLICT');
    expect((await ada.caller.videos.get({ videoId: video.id })).prompt).toBe('Still running [sim:duration=60000]');
  });

  it("another user's video is NOT_FOUND, before anything is written", async () => {
    const { video } = await startVideo(ada.caller, 'Mine [sim:bogus]');
    const bob = await h.signUp('bob');
    const { shape } = await expectTRPCError(() => bob.caller.sora.retry({ videoId: video.id, prompt: 'Yours now' }));
    expect(shape.data.code).toBe('NOT_FOUND');
    expect((await ada.caller.videos.get({ videoId: video.id })).prompt).toBe('Mine [sim:bogus]');
  });
});

/** What the simulator answers a create with this prompt (the message the SDK hands over). */
async function upstreamCreateMessage(prompt: string): Promise<string> {
  const response = await fetch(`${h.sim.url}/videos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.sim.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt }),
  });
  expect(response.status).toBe(400);
  return ((await response.json()) as { error: { message: string } }).error.message;
}
