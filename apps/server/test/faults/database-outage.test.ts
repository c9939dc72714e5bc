import { createSoraMonitorClient, describeClientError } from '@sora-monitor/core/client';
import { sleep, waitUntil } from '@sora-monitor/core/testing';
import { videos } from '@sora-monitor/db';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { logLines } from '../server-process';
import { signUpWithToken, startFaultSetup, viaPort, type FaultSetup } from './fault-setup';
// The db package's cuttable TCP forwarder: the database server going away without disturbing other tests.
import { startTcpProxy, type TcpProxy } from '../../../../packages/db/test/support/tcp-proxy';

const OUTAGE_MS = 30_000;
const UNAVAILABLE = 'The database is unavailable; try again in a moment.';

/** Runs `work` and returns how long it took, with its result or the error it threw. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = Date.now();
  try {
    const value = await work();
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

/** An error with its cause: fetch's "fetch failed" alone does not say whether the server refused or crashed. */
function describeFailure(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause === undefined ? String(error) : `${String(error)} (cause: ${String(cause)})`;
}

// Needs real PostgreSQL and several processes: on PGlite (the suite's first run) there is nothing to cut.
describe.skipIf(!process.env.TEST_DATABASE_URL)('the database goes away for 30 s under one instance', () => {
  let setup: FaultSetup | undefined;
  let proxy: TcpProxy | undefined;
  afterAll(async () => {
    await proxy?.close();
    await setup?.close();
  });

  it('no crash, fast 503s while it is gone, and within 10 s of its return everything resumes, live updates included', async () => {
    setup = await startFaultSetup({ generationMs: 4_000 });
    const target = viaPort(setup.database.url, 0);
    proxy = await startTcpProxy(target.host, target.port);
    // One instance reaches PostgreSQL through the proxy (its database "stops"); the other directly, so work goes on.
    const cut = await setup.spawn({ DATABASE_URL: viaPort(setup.database.url, proxy.port).url });
    const direct = await setup.spawn();
    const { token } = await signUpWithToken(direct.url);
    const cutClient = createSoraMonitorClient({ url: cut.url, token });
    const directClient = createSoraMonitorClient({ url: direct.url, token });

    // A live subscriber on the instance that loses its database.
    const statuses = new Map<string, string[]>();
    const streamErrors: unknown[] = [];
    let started!: () => void;
    const streaming = new Promise<void>((resolve) => (started = resolve));
    const subscription = cutClient.sora.onUpdate.subscribe(
      {},
      {
        onStarted: () => started(),
        onData: ({ data }) =>
          statuses.set(data.video.id, [...(statuses.get(data.video.id) ?? []), data.video.generation.status]),
        onError: (error) => streamErrors.push(error),
      },
    );
    await streaming;
    expect((await fetch(`${cut.url}/readyz`)).status).toBe(200);

    await proxy.cut();
    const cutAt = Date.now();
    // Meanwhile a generation starts and completes through the directly connected instance.
    const video = await directClient.videos.create.mutate({ prompt: 'A lighthouse in a storm' });
    await directClient.sora.generate.mutate({ videoId: video.id });

    let probes = 0;
    let slowestMs = 0;
    while (Date.now() - cutAt < OUTAGE_MS) {
      const ready = await timed(async () => {
        const response = await fetch(`${cut.url}/readyz`);
        return { status: response.status, body: (await response.json()) as { status: string } };
      });
      expect(ready.value, `readyz: ${describeFailure(ready.error)}\n${cut.output().slice(-3_000)}`).toMatchObject({ status: 503, body: { status: 'not_ready' } });
      expect(ready.ms).toBeLessThan(5_000);

      const call = await timed(() => cutClient.videos.list.query({}));
      expect(call.error, 'a call without a database must fail').toBeDefined();
      expect(describeClientError(call.error)).toMatchObject({
        kind: 'unavailable',
        code: 'SERVICE_UNAVAILABLE',
        message: UNAVAILABLE,
      });
      expect(call.ms).toBeLessThan(5_000);

      // The plain HTTP routes (here the content route) answer the same way.
      const content = await timed(async () => {
        const response = await fetch(`${cut.url}/api/videos/${video.id}/content`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return { status: response.status, body: (await response.json()) as unknown };
      });
      expect(content.value).toMatchObject({ status: 503, body: { message: UNAVAILABLE } });
      expect(content.ms).toBeLessThan(5_000);
      slowestMs = Math.max(slowestMs, ready.ms, call.ms, content.ms);

      expect(setup.running()).toHaveLength(2);
      probes += 1;
      await sleep(2_000);
    }
    expect(probes).toBeGreaterThan(5);
    const [completed] = await setup.handle.db.select().from(videos).where(eq(videos.id, video.id));
    expect(completed?.soraGenerationStatus, 'the direct instance finished the work meanwhile').toBe(
      'completed',
    );

    await proxy.restore();
    const restoredAt = Date.now();
    const withinTenSeconds = () => ({
      timeoutMs: Math.max(0, restoredAt + 10_000 - Date.now()),
      intervalMs: 100,
    });
    await waitUntil(
      async () => (await fetch(`${cut.url}/readyz`)).status,
      (status) => status === 200,
      withinTenSeconds(),
    );
    expect((await cutClient.videos.list.query({})).items.map((item) => item.id)).toContain(video.id);
    // The subscriber that stayed open through the outage gets what happened meanwhile.
    await waitUntil(
      async () => ({ seen: statuses.get(video.id) ?? [], streamErrors: streamErrors.map(String) }),
      ({ seen }) => seen.includes('completed'),
      withinTenSeconds(),
    );
    // LISTEN is re-established and the poller works again (each retries with a back-off of 5 s at most).
    await waitUntil(
      async () => cut.output().includes('LISTEN connection re-established'),
      Boolean,
      withinTenSeconds(),
    );
    await waitUntil(
      async () => cut.output().includes('Poller iterations succeed again'),
      Boolean,
      withinTenSeconds(),
    );
    const recoveredMs = Date.now() - restoredAt;
    // And a hint through it is what delivers the next change, well before the stream's 10 s session re-check would.
    const next = await directClient.videos.create.mutate({ prompt: 'A second lighthouse' });
    const sentAt = Date.now();
    await directClient.sora.generate.mutate({ videoId: next.id });
    await waitUntil(
      async () => statuses.get(next.id) ?? [],
      (seen) => seen.includes('queued'),
      { timeoutMs: 3_000, intervalMs: 20 },
    );
    const hintMs = Date.now() - sentAt;
    // The poller backed off instead of logging a failure every 50 ms tick (that would be about 600 lines).
    const pollerFailures = logLines(cut).filter((line) => line.msg === 'Poller iteration failed').length;
    expect(pollerFailures).toBeGreaterThan(0);
    expect(pollerFailures).toBeLessThan(30);
    expect(streamErrors).toEqual([]);
    expect(setup.running()).toHaveLength(2);
    subscription.unsubscribe();
    console.info(
      `database outage: ${probes} probes during ${OUTAGE_MS} ms, slowest answer ${slowestMs} ms; recovered ${recoveredMs} ms after restore; next change live in ${hintMs} ms`,
    );
  }, 120_000);
});
