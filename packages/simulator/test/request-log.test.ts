import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../src/index';
import { manualClock, sdkFor, startTestSimulator } from './helpers';

describe('the request log', () => {
  it('records every API request, in process and over HTTP, and can be cleared both ways', async () => {
    const clock = manualClock();
    const sim = await startTestSimulator({ now: clock.now });
    const client = sdkFor(sim);
    const { id } = await client.videos.create({ prompt: 'logged' });
    clock.advance(5);
    await client.videos.retrieve(id);
    await client.videos.list({ limit: 5 });
    await client.videos.retrieve('video_missing').catch(() => undefined);
    await fetch(`${sim.url}/videos`); // no key: 401

    const expected = [
      { method: 'POST', path: '/v1/videos', videoId: id, status: 200, aborted: false },
      { method: 'GET', path: `/v1/videos/${id}`, videoId: id, status: 200, aborted: false },
      { method: 'GET', path: '/v1/videos', videoId: null, status: 200, aborted: false },
      {
        method: 'GET',
        path: '/v1/videos/video_missing',
        videoId: 'video_missing',
        status: 404,
        aborted: false,
      },
      { method: 'GET', path: '/v1/videos', videoId: null, status: 401, aborted: false },
    ];
    const entries = sim.requests();
    expect(entries).toMatchObject(expected);
    expect(entries[1]).toMatchObject({ startedAt: clock.now(), endedAt: clock.now() });
    expect(entries.every((entry) => entry.endedAt >= entry.startedAt)).toBe(true);

    // Reading the log over HTTP does not add to it.
    const overHttp = (await (await fetch(`${sim.origin}/__sim/requests`)).json()) as {
      requests: RequestLogEntry[];
    };
    expect(overHttp.requests).toEqual(entries);
    expect(sim.requests()).toHaveLength(expected.length);

    sim.clearRequests();
    expect(sim.requests()).toEqual([]);
    await client.videos.list();
    expect((await fetch(`${sim.origin}/__sim/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.requests()).toEqual([]);
  });
});
