import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addressedJob, type SimContext } from '../context';
import { parseCreateParams, parseRemixPrompt } from '../create-params';
import { invalidRequest, invalidValue, videoNotFound } from '../errors';
import { videoObject, type Job, type NewJob } from '../jobs';
import { readRequestFields } from '../request-body';
import { ScenarioMarkerError, parseScenario, withoutFaults, type Scenario } from '../scenarios';
import { isTerminal } from '../timeline';
import type { ServedVideoObject, VideoDeleted, VideoList } from '../wire';

interface IdParams {
  id: string;
}

/** POST/GET/DELETE /videos, GET /videos/{id}, POST /videos/{id}/remix. Registered under the /v1 prefix. */
export function registerVideoRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/videos', async (request, reply) => {
    const params = parseCreateParams(await readRequestFields(request));
    return createJob(ctx, request, reply, {
      ...params,
      remixedFromVideoId: null,
      scenario: scenarioFor(ctx, params.prompt),
    });
  });

  app.get<{ Querystring: Record<string, unknown> }>('/videos', async (request): Promise<VideoList> => {
    const query = parseListQuery(request.query);
    const page = ctx.store.list(query);
    if (!page)
      throw invalidRequest(`Invalid 'after': no video with id '${query.after}'.`, 'after', 'invalid_value');
    const data = page.jobs.map((job) => videoObject(job, ctx.store.observe(job)));
    return {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: page.hasMore,
    };
  });

  app.get<{ Params: IdParams }>('/videos/:id', async (request): Promise<ServedVideoObject> => {
    const job = addressedJob(ctx, request.params.id);
    const { expireAfterPolls } = job.scenario;
    if (expireAfterPolls !== null && job.successfulPolls >= expireAfterPolls) {
      ctx.store.markGone(job);
      throw videoNotFound(job.id);
    }
    job.successfulPolls += 1;
    ctx.watcher.check(job);
    return videoObject(job, ctx.store.observe(job));
  });

  app.delete<{ Params: IdParams }>('/videos/:id', async (request): Promise<VideoDeleted> => {
    const job = addressedJob(ctx, request.params.id);
    const { status } = ctx.store.observe(job);
    if (!isTerminal(status)) {
      throw invalidRequest(
        `Video '${job.id}' is ${status}; only completed or failed videos can be deleted.`,
        'video_id',
        'invalid_state',
      );
    }
    ctx.store.markGone(job);
    return { id: job.id, object: 'video.deleted', deleted: true };
  });

  app.post<{ Params: IdParams }>('/videos/:id/remix', async (request, reply) => {
    const source = addressedJob(ctx, request.params.id);
    const prompt = parseRemixPrompt(await readRequestFields(request));
    const { status } = ctx.store.observe(source);
    if (status !== 'completed') {
      throw invalidRequest(
        `Video '${source.id}' is ${status}; only completed videos can be remixed.`,
        'video_id',
        'invalid_state',
      );
    }
    const { model, seconds, size } = source;
    return createJob(ctx, request, reply, {
      model,
      seconds,
      size,
      prompt,
      remixedFromVideoId: source.id,
      scenario: scenarioFor(ctx, prompt),
    });
  });
}

function createJob(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  input: NewJob,
): ServedVideoObject | FastifyReply {
  const job: Job = ctx.store.create(input);
  ctx.log.setVideoId(request.raw, job.id);
  if (input.scenario.lostCreate) {
    // The job exists from here on; the client just never hears about it.
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  }
  return videoObject(job, ctx.store.observe(job));
}

/** The prompt's scenario, minus its faults once `[sim:faults-for=N]` jobs with this prompt already exist. */
function scenarioFor(ctx: SimContext, prompt: string): Scenario {
  const scenario = scenarioOf(prompt);
  if (scenario.faultsFor === null) return scenario;
  return ctx.store.countByPrompt(prompt) >= scenario.faultsFor ? withoutFaults(scenario) : scenario;
}

function scenarioOf(prompt: string): Scenario {
  try {
    return parseScenario(prompt);
  } catch (error) {
    if (error instanceof ScenarioMarkerError)
      throw invalidRequest(error.message, 'prompt', 'invalid_simulator_marker');
    throw error;
  }
}

function parseListQuery(query: Record<string, unknown>) {
  const after = query.after === undefined || query.after === '' ? null : String(query.after);
  const limitText = query.limit === undefined ? '20' : String(query.limit);
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) {
    throw invalidRequest(
      `Invalid 'limit': expected an integer from 1 to 100, but got '${limitText}' instead.`,
      'limit',
      'invalid_value',
    );
  }
  const order = query.order === undefined ? 'desc' : String(query.order);
  if (order !== 'asc' && order !== 'desc') throw invalidValue('order', order, ['asc', 'desc']);
  return { after, limit, order } as const;
}
