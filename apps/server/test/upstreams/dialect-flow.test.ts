import { JOB_CANCELLED_MESSAGE, JOB_EXPIRED_MESSAGE } from '@sora-monitor/core/domain';
import { startSimulator, type DialectName, type Simulator } from '@sora-monitor/simulator';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SignedIn } from '../support/http-app';
import { startEnvStack, type EnvStack } from './env-stack';

/*
 * The whole product against every simulator dialect, configured as a user of that upstream would configure it
 * (docs/UPSTREAMS.md): create → follow (the background poller) → download → serve over HTTP; then expired, cancelled
 * and FAILURE each end the generation on the first poll that sees them, with their own message.
 */

interface DialectCase {
  dialect: DialectName;
  /** What the user sets besides OPENAI_API_KEY and OPENAI_BASE_URL. */
  env: Record<string, string>;
  /** The model the user picks, sent upstream unchanged. */
  model: string;
  /** What the upstream serves (Azure deployments). */
  simModels?: string[];
}

const CASES: DialectCase[] = [
  { dialect: 'openai', env: {}, model: 'sora-2' },
  {
    dialect: 'azure',
    env: { UPSTREAM_PRESET: 'azure', VIDEO_MODELS: 'my-sora' },
    model: 'my-sora',
    simModels: ['my-sora'],
  },
  {
    dialect: 'litellm',
    env: { UPSTREAM_PRESET: 'litellm', OPENAI_DEFAULT_HEADERS: '{"custom-llm-provider":"openai"}' },
    model: 'sora-2',
  },
  { dialect: 'newapi', env: { UPSTREAM_PRESET: 'gateway' }, model: 'sora-2' },
];

interface Status {
  status: string;
  progress: number;
  jobId: string | null;
  videoUrl: string | null;
  thumbnailUrl: string | null;
  error: string | null;
  errorCode: string | null;
}

const TERMINAL = ['completed', 'failed'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Each dialect's tests run side by side (each on its own video), so the file takes about one generation per dialect.
describe.concurrent.each(CASES)(
  'the $dialect dialect, configured as its users configure it',
  ({ dialect, env, model, simModels }) => {
    let sim: Simulator;
    let stack: EnvStack;
    let user: SignedIn;

    beforeAll(async () => {
      sim = await startSimulator({
        dialect,
        generationMs: 1_500,
        ...(simModels ? { models: simModels } : {}),
      });
      stack = await startEnvStack({ OPENAI_API_KEY: sim.apiKey, OPENAI_BASE_URL: sim.url, ...env });
      user = await stack.signUp(dialect);
    });
    // A loaded CI machine has taken over a minute to close a stack; each step of the close names itself past 45 s.
    afterAll(async () => {
      await stack?.close();
      await sim?.close();
    }, 150_000);

    /** Creates and starts a video from the web app's calls; returns its id and the upstream job's id. */
    async function start(prompt: string): Promise<{ videoId: string; jobId: string }> {
      const video = await stack.trpc<{ id: string }>(user, 'mutation', 'videos.create', { prompt, model });
      const started = await stack.trpc<Status>(user, 'mutation', 'sora.generate', { videoId: video.id });
      if (!started.jobId) throw new Error(`no upstream job was created: ${JSON.stringify(started)}`);
      return { videoId: video.id, jobId: started.jobId };
    }

    /** sora.status (answered from the database: the poller alone asks upstream) until `done` holds. */
    async function statusUntil(videoId: string, done: (status: Status) => boolean): Promise<Status> {
      for (let tries = 0; ; tries++) {
        const status = await stack.trpc<Status>(user, 'query', 'sora.status', { videoId });
        if (done(status)) return status;
        if (tries > 600) throw new Error(`gave up waiting; last status ${JSON.stringify(status)}`);
        await sleep(100);
      }
    }

    /** What the simulator serves for the job, read through the product's own SDK client (its settings and all). */
    async function upstreamBytes(jobId: string, variant: 'video' | 'thumbnail'): Promise<Buffer> {
      const response = await stack.upstream.client.videos.downloadContent(jobId, { variant });
      return Buffer.from(await response.arrayBuffer());
    }

    const serve = (url: string, headers: Record<string, string> = {}) =>
      fetch(`${stack.origin}${url}`, { headers: { cookie: user.cookie, ...headers } });

    it('a generation completes, is downloaded and served over HTTP byte for byte, with Range', async ({
      expect,
    }) => {
      const { videoId, jobId } = await start(`A lighthouse at dusk on ${dialect}`);
      const done = await statusUntil(videoId, (status) => TERMINAL.includes(status.status));
      expect(done).toMatchObject({ status: 'completed', progress: 100, error: null, jobId });

      // The model went upstream as the user named it (an Azure deployment name included).
      const upstream = (await stack.upstream.client.videos.retrieve(jobId)) as unknown as Record<
        string,
        unknown
      >;
      expect(upstream.model).toBe(model);
      if (dialect === 'newapi') expect(upstream).toMatchObject({ status: 'SUCCESS', progress: '100%' });

      const original = await upstreamBytes(jobId, 'video');
      const whole = await serve(done.videoUrl!);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-type')).toBe('video/mp4');
      expect(Buffer.from(await whole.arrayBuffer()).equals(original)).toBe(true);

      const part = await serve(done.videoUrl!, { range: 'bytes=100-1099' });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${original.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(original.subarray(100, 1100))).toBe(true);

      const thumbnail = await upstreamBytes(jobId, 'thumbnail');
      const thumbnailServed = await serve(`${done.videoUrl!}?variant=thumbnail`);
      if (dialect === 'litellm') {
        // LiteLLM answers the MP4 whatever the variant: no thumbnail is kept, and none is offered.
        expect(thumbnail.equals(original)).toBe(true);
        expect(done.thumbnailUrl).toBeNull();
        expect(thumbnailServed.status).toBe(404);
      } else {
        expect(thumbnail.subarray(0, 4).toString('latin1')).toBe('RIFF');
        expect(done.thumbnailUrl).toBe(`${done.videoUrl!}?variant=thumbnail`);
        expect(thumbnailServed.status).toBe(200);
        expect(Buffer.from(await thumbnailServed.arrayBuffer()).equals(thumbnail)).toBe(true);
      }
    });

    it('progress is followed as the upstream writes it', async ({ expect }) => {
      const { videoId, jobId } = await start(`A kite held still on ${dialect} [sim:stuck=45]`);
      const held = await statusUntil(videoId, (status) => status.progress === 45);
      expect(held.status).toBe('in_progress');
      const upstream = (await stack.upstream.client.videos.retrieve(jobId)) as unknown as Record<
        string,
        unknown
      >;
      // new-api style: upper-case status, progress as a string with a percent sign.
      expect(upstream).toMatchObject(
        dialect === 'newapi'
          ? { status: 'IN_PROGRESS', progress: '45%' }
          : { status: 'in_progress', progress: 45 },
      );
    });

    it.for([
      ['expired', '[sim:duration=60000] [sim:retention=800]', 800, 'job_expired'],
      ['cancelled', '[sim:duration=60000] [sim:cancel-after=800]', 800, 'job_cancelled'],
      ['FAILURE', '[sim:duration=1500] [sim:fail=moderation_blocked]', 900, 'moderation_blocked'],
    ] as const)(
      '%s ends the generation as failed on the first poll that sees it, with its own message',
      async ([ending, markers, endsAfterMs, code], { expect }) => {
        const { videoId, jobId } = await start(`A paper boat, ${ending} on ${dialect} ${markers}`);
        const failed = await statusUntil(videoId, (status) => TERMINAL.includes(status.status));
        const requests = sim.requests().filter((request) => request.videoId === jobId);

        const upstream = (await stack.upstream.client.videos.retrieve(jobId)) as unknown as {
          status: string;
          error?: { message: string };
        };
        const expected =
          ending === 'expired'
            ? { status: 'expired', message: JOB_EXPIRED_MESSAGE }
            : ending === 'cancelled'
              ? { status: 'cancelled', message: JOB_CANCELLED_MESSAGE }
              : { status: 'failed', message: upstream.error!.message };
        expect(upstream.status).toBe(
          dialect !== 'newapi'
            ? expected.status
            : ending === 'FAILURE'
              ? 'FAILURE'
              : expected.status.toUpperCase(),
        );
        expect(failed).toMatchObject({ status: 'failed', errorCode: code, error: expected.message });

        // The product's status requests that surely saw the ending: at most one, the one that ended the generation.
        const create = requests.find((request) => request.method === 'POST')!;
        const polls = requests.filter(
          (request) => request.method === 'GET' && !request.path.endsWith('/content'),
        );
        expect(
          polls.filter((request) => request.startedAt >= create.endedAt + endsAfterMs).length,
        ).toBeLessThanOrEqual(1);
        expect(polls.length).toBeGreaterThan(0);
      },
    );

    if (dialect === 'litellm') {
      it('a create whose answer is lost is found again through the list, with the provider header', async ({
        expect,
      }) => {
        const { videoId, jobId } = await start('A lost lantern [sim:lost-create]');
        const lists = sim
          .requests()
          .filter((request) => request.method === 'GET' && /\/videos$/.test(request.path));
        expect(lists.length).toBeGreaterThan(0);
        expect(lists.every((request) => request.status === 200)).toBe(true);
        const done = await statusUntil(videoId, (status) => TERMINAL.includes(status.status));
        expect(done).toMatchObject({ status: 'completed', jobId });
      });
    }
  },
);
