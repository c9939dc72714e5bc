import { createHash } from 'node:crypto';
import { createSoraMonitorClient } from '@sora-monitor/core/client';
import { createS3BlobStore, startS3Server, type TestS3Server } from '@sora-monitor/core/testing/s3-server';
import { findReferencedBlobKeys, soraEvents, soraGenerations, videos, type Video } from '@sora-monitor/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForDownloader, waitUntil } from '../worker-fleet';
import { logLines } from '../server-process';
import { signUpWithToken, startFaultSetup, type FaultSetup, type Instance } from './fault-setup';

const STUCK_TIMEOUT_MS = 10_000; // the configuration's minimum
// A killed instance's rows wait for its lease to run out before another takes them over: short, so the test is too.
const LEASE_MS = 3_000;
const DOWNLOAD_MS = 11_000; // every download outlasts the stuck timeout
const SLOW_DOWNLOADS = 6;
const LONG_GENERATIONS = 2; // steady progress for longer than the stuck timeout

const sha256 = (bytes: ArrayBuffer) => createHash('sha256').update(Buffer.from(bytes)).digest('hex');

/*
 * Issue 14's trial in small: three instances (ROLE=all) on one PostgreSQL database and one S3 bucket, users'
 * generations started through their HTTP API, one instance killed (-9) and another paused past its lease while
 * downloads that take longer than the stuck timeout are under way. Nobody may pay twice, lose a video or leave
 * anything behind.
 */
// PostgreSQL only: several processes share the database (PGlite is one process per data directory).
describe.skipIf(!process.env.TEST_DATABASE_URL)('three instances on one database and one bucket, one killed and one paused mid-download', () => {
  let setup: FaultSetup | undefined;
  let s3: TestS3Server | undefined;
  afterAll(async () => {
    await setup?.close();
    await s3?.stop();
  });

  it('no false stuck failure, one upstream job per attempt, every video byte-exact from every live instance, nothing orphaned', async () => {
    s3 = await startS3Server();
    setup = await startFaultSetup({ generationMs: 500 });
    const env = { ...s3.env, STUCK_TIMEOUT_MS: String(STUCK_TIMEOUT_MS), SWEEP_INTERVAL_MS: '500', LEASE_MS: String(LEASE_MS) };
    // One after the other: three start-ups at once (each loading the AWS SDK) can take longer than spawn's 30 s on a busy machine.
    const instances: Instance[] = [];
    for (let i = 0; i < 3; i += 1) instances.push(await setup.spawn(env));
    const { token } = await signUpWithToken(instances[0]!.url);

    // The user starts every generation, each through another instance, as behind a load balancer.
    const prompts = [
      ...Array.from({ length: SLOW_DOWNLOADS }, (_, i) => `Harbour ${i} [sim:slow-download=${DOWNLOAD_MS}]`),
      ...Array.from({ length: LONG_GENERATIONS }, (_, i) => `Slow tide ${i} [sim:duration=${STUCK_TIMEOUT_MS + 4_000}]`),
    ];
    const ids = await Promise.all(
      prompts.map(async (prompt, i) => {
        const client = createSoraMonitorClient({ url: instances[i % instances.length]!.url, token });
        const video = await client.videos.create.mutate({ prompt });
        await client.sora.generate.mutate({ videoId: video.id });
        return video.id;
      }),
    );
    const rows = () => setup!.handle.db.select().from(videos).where(inArray(videos.id, ids));
    const started = await rows();
    // What the simulator serves for each job, read while the instances download it (it is as slow for us).
    const expected = new Map(
      started.map((row) => {
        const hashing = simulatorSha256(setup!, row.soraJobId!);
        hashing.catch(() => undefined); // awaited (and so reported) at the end
        return [row.id, hashing] as const;
      }),
    );

    // kill -9 of an instance in the middle of its downloads.
    const { holder: killed, held: killedHeld } = await waitForDownloader(rows, setup.running());
    killed.child.kill('SIGKILL');
    expect((await killed.ended).signal).toBe('SIGKILL');

    // Another one paused mid-download until every lease it held has run out by the database clock, then resumed.
    const { holder: paused, held: pausedHeld } = await waitForDownloader(rows, setup.running());
    paused.child.kill('SIGSTOP');
    try {
      const stillLeased = sql`${videos.leaseOwner} like ${`%:${paused.child.pid}:%`} and ${videos.leaseUntil} >= now()`;
      await waitUntil(
        () => setup!.handle.db.select({ id: videos.id }).from(videos).where(and(inArray(videos.id, ids), stillLeased)),
        (leased) => leased.length === 0,
        { timeoutMs: 20_000, intervalMs: 100 },
      );
    } finally {
      paused.child.kill('SIGCONT');
    }

    const finished = await waitUntil(
      rows,
      (current) => {
        const failed = current.find((row) => row.soraGenerationStatus === 'failed');
        if (failed) throw new Error(`${failed.prompt} failed: ${failed.soraErrorMessage}`);
        return current.every((row) => row.soraGenerationStatus === 'completed');
      },
      // A taken-over download starts again from its first byte, and a slow job's thumbnail is as slow as its video:
      // each takeover costs a lease plus two slow transfers, and a row can be taken over twice (kill, then pause).
      { timeoutMs: 150_000, intervalMs: 200 },
    ).catch(async (error: unknown) => {
      // What stalled, compactly (the error's own dump is cut at 2 000 characters).
      for (const r of await rows())
        console.info(r.title, r.soraGenerationStatus, r.soraProgress, r.leaseOwner, r.leaseUntil?.toISOString(), r.updatedAt.toISOString());
      console.info('killed', killed.child.pid, 'paused', paused.child.pid);
      throw error;
    });
    // 0 false stuck failures: one attempt per video, completed, and the sweeper never failed anything.
    const attempts = await setup.handle.db.select().from(soraGenerations).where(inArray(soraGenerations.videoId, ids));
    expect(attempts.map((attempt) => [attempt.videoId, attempt.status]).sort()).toEqual(ids.map((id) => [id, 'completed']).sort());
    const sweeperEvents = await setup.handle.db.select().from(soraEvents).where(eq(soraEvents.actor, 'sweeper'));
    expect(sweeperEvents.filter((event) => event.toStatus === 'failed')).toEqual([]);
    for (const instance of [killed, paused, ...setup.running()])
      expect(logLines(instance).filter((line) => line.msg === 'Failed a stuck generation')).toEqual([]);

    // Exactly one paid upstream job per generation the user started, and each is the row's job.
    const creates = setup.sim.requests().filter((entry) => entry.method === 'POST');
    expect(creates.map((entry) => entry.videoId).sort()).toEqual(finished.map((row) => row.soraJobId).sort());

    // Every completed video, byte-exact as the simulator made it, from every instance still running.
    const live = setup.running();
    expect(live).toHaveLength(2);
    for (const row of finished) {
      const want = await expected.get(row.id)!;
      expect(row.blobSha256, `stored sha256 of ${row.prompt}`).toBe(want);
      for (const instance of live) expect(await servedSha256(instance, token, row), `${row.prompt} from ${instance.url}`).toBe(want);
    }

    // The bucket holds exactly what the rows point to: no orphan object, no unfinished upload.
    const store = createS3BlobStore(s3.config);
    const keys: string[] = [];
    for await (const page of store.list('')) keys.push(...page.map((blob) => blob.key));
    expect([...(await findReferencedBlobKeys(setup.handle.db, keys))].sort()).toEqual(keys.sort());
    for (const row of finished) expect(keys).toContain(row.blobKey);
    // An unfinished multipart upload of any age would be removed here (and counted).
    expect(await store.removeIncomplete(new Date(Date.now() + 60_000))).toBe(0);

    console.info(
      `multi-instance: ${instances.length} instances, ${ids.length} generations, ${creates.length} upstream creates; ` +
        `killed one downloading ${killedHeld.length}, paused one downloading ${pausedHeld.length}; ${keys.length} objects in the bucket`,
    );
  }, 300_000);
});

/** Waits until the simulator reports the job completed, then downloads its content and hashes it. */
async function simulatorSha256(setup: FaultSetup, jobId: string): Promise<string> {
  const headers = { authorization: `Bearer ${setup.sim.apiKey}` };
  await waitUntil(
    async () => ((await (await fetch(`${setup.sim.url}/videos/${jobId}`, { headers })).json()) as { status: string }).status,
    (status) => status === 'completed',
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  return sha256(await (await fetch(`${setup.sim.url}/videos/${jobId}/content`, { headers })).arrayBuffer());
}

async function servedSha256(instance: Instance, token: string, row: Video): Promise<string> {
  const response = await fetch(`${instance.url}/api/videos/${row.id}/content`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return sha256(await response.arrayBuffer());
}
