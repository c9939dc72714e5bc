import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpApp, type SignedIn } from '../support/http-app';

/*
 * sora.pastDurations over HTTP, as the web app calls it: it draws on everyone's generations of the same model, size and
 * length, so what it answers must be an aggregate (docs/SECURITY.md), never another user's timings one by one.
 */

let h: HttpApp;

beforeAll(async () => {
  h = await startHttpApp();
});
afterAll(() => h?.close());

const SETTINGS = { model: 'sora-2', size: '1280x720', seconds: 12 } as const;

async function completeOne(user: SignedIn, prompt: string): Promise<void> {
  const video = await h.trpcData<{ id: string }>(user, 'mutation', 'videos.create', { prompt, ...SETTINGS });
  await h.trpcData(user, 'mutation', 'sora.generate', { videoId: video.id });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await h.trpcData<{ status: string }>(user, 'query', 'sora.status', { videoId: video.id });
    if (status.status === 'completed') return;
    if (status.status === 'failed' || Date.now() > deadline) throw new Error(`generation ended as ${status.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('sora.pastDurations over HTTP', () => {
  it('answers nothing from fewer than 3 samples, then one median rounded to the second; never the samples', async () => {
    const ada = await h.signUp('ada');
    const bob = await h.signUp('bob');
    const adas = await h.trpcData<{ id: string }>(ada, 'mutation', 'videos.create', { prompt: 'Not started', ...SETTINGS });
    const ask = () => h.trpc(ada, 'query', 'sora.pastDurations', { videoId: adas.id });

    // Upstream timestamps are whole seconds: a job of 1.1 s spans at least one second boundary.
    await completeOne(bob, 'Bob timed [sim:duration=1100]');
    const one = await ask();
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ result: { data: { durationsMs: [] } } });

    await completeOne(bob, 'Bob timed again [sim:duration=1100]');
    await completeOne(bob, 'Bob timed a third time [sim:duration=1100]');
    const three = await ask();
    expect(three.statusCode).toBe(200);
    const { durationsMs } = (three.json() as { result: { data: { durationsMs: number[] } } }).result.data;
    expect(durationsMs).toHaveLength(1);
    expect(durationsMs[0]! % 1_000).toBe(0);

    // Another user's video: not found, like any video that is not yours.
    const foreign = await h.trpc(bob, 'query', 'sora.pastDurations', { videoId: adas.id });
    expect(foreign.statusCode).toBe(404);
  }, 90_000);
});
