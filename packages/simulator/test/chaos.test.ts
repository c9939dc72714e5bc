import { request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalServerError } from 'openai';
import { describe, expect, it } from 'vitest';
import { ASSETS_DIR } from '../src/assets';
import { readCliConfig } from '../src/cli-config';
import type { Simulator } from '../src/index';
import { manualClock, sdkFor, startTestSimulator } from './helpers';

/** `count` list requests one after another (a fixed order, so the seed decides everything); their statuses. */
async function listStatuses(sim: Simulator, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(`${sim.url}/videos`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

/** A GET with node:http, reporting what arrived even when the connection is cut (fetch would only throw). */
function rawGet(url: string, apiKey: string) {
  return new Promise<{ status: number; contentLength: number; received: number; cut: boolean }>((resolve) => {
    const req = httpRequest(url, { headers: { authorization: `Bearer ${apiKey}` } }, (res) => {
      let received = 0;
      const done = (cut: boolean) =>
        resolve({
          status: res.statusCode ?? 0,
          contentLength: Number(res.headers['content-length']),
          received,
          cut,
        });
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () => done(!res.complete));
      res.on('error', () => done(true));
      res.on('aborted', () => done(true));
    });
    req.end();
  });
}

describe('process-wide chaos', () => {
  it('answers about unavailableRate of requests 503, reproducibly for a seed', async () => {
    const chaos = { unavailableRate: 0.3, seed: 42 };
    const first = await listStatuses(await startTestSimulator({ chaos }), 200);
    const again = await listStatuses(await startTestSimulator({ chaos }), 200);
    const otherSeed = await listStatuses(await startTestSimulator({ chaos: { ...chaos, seed: 43 } }), 200);

    const share = first.filter((status) => status === 503).length / first.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    expect(first.every((status) => status === 200 || status === 503)).toBe(true);
    expect(again).toEqual(first);
    expect(otherSeed).not.toEqual(first);
  });

  it("sends a 503 in OpenAI's shape with retry-after, which the SDK reads as a server error", async () => {
    const sim = await startTestSimulator({ retryAfterMs: 20, chaos: { unavailableRate: 1 } });
    const response = await fetch(`${sim.url}/videos`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after-ms')).toBe('20');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({
      error: { type: 'server_error', code: 'service_unavailable' },
    });
    await expect(sdkFor(sim).videos.list()).rejects.toBeInstanceOf(InternalServerError);
    expect(sim.chaosStats()).toMatchObject({ requests: 2, unavailable: 2 });
  });

  it('answers 429 bursts: after every N requests the next rateLimitBurstLength', async () => {
    const sim = await startTestSimulator({ chaos: { rateLimitBurstEvery: 3, rateLimitBurstLength: 2 } });
    expect(await listStatuses(sim, 10)).toEqual([200, 200, 200, 429, 429, 200, 200, 200, 429, 429]);
    expect(sim.chaosStats().rateLimited).toBe(4);
  });

  it('sends malformedJsonRate of JSON answers as a 200 with a body that does not parse', async () => {
    const sim = await startTestSimulator({ chaos: { malformedJsonRate: 1 } });
    const response = await fetch(`${sim.url}/videos`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(text.startsWith('{"object":"list"')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    await expect(sdkFor(sim).videos.list()).rejects.toBeInstanceOf(SyntaxError);

    // Error answers stay readable: only a 200 is broken, and only those are counted.
    const missing = await fetch(`${sim.url}/videos/video_missing`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(sim.chaosStats()).toMatchObject({ requests: 3, malformedJson: 2 });
  });

  it('cuts resetDownloadRate of downloads after the headers: fewer bytes arrive than content-length says', async () => {
    const clock = manualClock();
    const sim = await startTestSimulator({
      now: clock.now,
      generationMs: 1000,
      chaos: { resetDownloadRate: 1 },
    });
    const { id } = await sdkFor(sim).videos.create({ prompt: 'a lighthouse at dusk' });
    clock.advance(1000);
    const asset = await readFile(join(ASSETS_DIR, 'videos/720x1280-4s.mp4'));

    const download = await rawGet(`${sim.url}/videos/${id}/content`, sim.apiKey);
    expect(download.status).toBe(200);
    expect(download.contentLength).toBe(asset.length);
    expect(download.received).toBeLessThan(asset.length);
    expect(download.cut).toBe(true);
    await expect(
      sdkFor(sim)
        .videos.downloadContent(id)
        .then((r) => r.arrayBuffer()),
    ).rejects.toThrow();
    expect(sim.requests().filter((entry) => entry.path.endsWith('/content'))).toMatchObject([
      { status: 200, aborted: true },
      { status: 200, aborted: true },
    ]);
    expect(sim.chaosStats().downloadResets).toBe(2);
  });

  it('holds latencySpikeRate of requests for latencySpikeMs', async () => {
    const sim = await startTestSimulator({ chaos: { latencySpikeRate: 1, latencySpikeMs: 150 } });
    const started = performance.now();
    expect(await listStatuses(sim, 1)).toEqual([200]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(sim.chaosStats().latencySpikes).toBe(1);
  });

  it('spares creates unless faultCreates, and leaves scenario markers working', async () => {
    const spared = await startTestSimulator({ chaos: { unavailableRate: 1 } });
    const job = await sdkFor(spared).videos.create({ prompt: 'spared' });
    expect(job.status).toBe('queued');
    expect(spared.chaosStats().requests).toBe(0);

    const faulted = await startTestSimulator({ chaos: { unavailableRate: 1, faultCreates: true } });
    await expect(sdkFor(faulted).videos.create({ prompt: 'refused' })).rejects.toBeInstanceOf(
      InternalServerError,
    );

    const marked = await startTestSimulator({ chaos: { latencySpikeRate: 0 } });
    const client = sdkFor(marked);
    const burst = await client.videos.create({ prompt: 'marked [sim:429-burst=1]' });
    await expect(client.videos.retrieve(burst.id)).rejects.toMatchObject({ status: 429 });
    expect((await client.videos.retrieve(burst.id)).id).toBe(burst.id);
  });

  it('setChaos changes the faults at run time and replays from the seed; a bad value changes nothing', async () => {
    const sim = await startTestSimulator();
    expect(await listStatuses(sim, 5)).toEqual([200, 200, 200, 200, 200]);
    sim.setChaos({ unavailableRate: 0.5, seed: 3 });
    const first = await listStatuses(sim, 40);
    expect(first).toContain(503);
    expect(() => sim.setChaos({ unavailableRate: -1 })).toThrow("'chaos.unavailableRate'");
    expect(sim.chaosStats().requests).toBe(40);
    sim.setChaos({ unavailableRate: 0.5, seed: 3 });
    expect(sim.chaosStats().requests).toBe(0);
    expect(await listStatuses(sim, 40)).toEqual(first);
    sim.setChaos(null);
    expect(await listStatuses(sim, 5)).toEqual([200, 200, 200, 200, 200]);
  });

  it('rejects a bad option, naming it', async () => {
    await expect(startTestSimulator({ chaos: { unavailableRate: 1.5 } })).rejects.toThrow(
      "Simulator option 'chaos.unavailableRate' must be a number from 0 to 1, got 1.5",
    );
    await expect(startTestSimulator({ chaos: { rateLimitBurstEvery: 0 } })).rejects.toThrow(
      "'chaos.rateLimitBurstEvery' must be a whole number >= 1",
    );
    await expect(startTestSimulator({ chaos: { seed: 1.5 } })).rejects.toThrow("'chaos.seed'");
  });

  it('reads SIM_CHAOS in the CLI, and refuses a bad one naming the variable', () => {
    expect(
      readCliConfig({ SIM_CHAOS: 'unavailableRate=0.3, rateLimitBurstEvery=20,seed=7,faultCreates=true' })
        .chaos,
    ).toEqual({
      unavailableRate: 0.3,
      rateLimitBurstEvery: 20,
      seed: 7,
      faultCreates: true,
    });
    expect(() => readCliConfig({ SIM_CHAOS: 'unavailableRate=2' })).toThrow(
      "SIM_CHAOS: Simulator option 'chaos.unavailableRate' must be a number from 0 to 1, got 2",
    );
    expect(() => readCliConfig({ SIM_CHAOS: 'explode=1' })).toThrow('SIM_CHAOS must be key=value pairs');
    expect(readCliConfig({}).chaos).toBeUndefined();
  });
});
