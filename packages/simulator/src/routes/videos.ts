import type { FastifyInstance } from 'fastify';
import { addressedJob, presentJob, type SimContext } from '../context';
import { parseCreateParams, parseRemixPrompt } from '../create-params';
import { invalidRequest, invalidValue, videoNotFound } from '../errors';
import { readRequestFields } from '../request-body';
import { isTerminal } from '../timeline';
import type { VideoDeleted, VideoList } from '../wire';
import { completedSource, createJob, scenarioFor } from './create-job';

interface IdParams {
  id: string;
}

/** POST/GET/DELETE /videos, GET /videos/{id}, POST /videos/{id}/remix. Registered under the dialect's prefix. */
export function registerVideoRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/videos', async (request, reply) => {
    const params = parseCreateParams(await readRequestFields(request), (model) =>
      ctx.dialect.acceptModel(model),
    );
    return createJob(ctx, request, reply, {
      ...params,
      remixedFromVideoId: null,
      derivation: null,
      scenario: scenarioFor(ctx, params.prompt),
    });
  });

  app.get<{ Querystring: Record<string, unknown> }>('/videos', async (request): Promise<VideoList> => {
    const visible = ctx.dialect.listFilter({ headers: request.headers, query: request.query });
    const query = parseListQuery(request.query);
    const page = ctx.store.list(query, visible);
    if (!page)
      throw invalidRequest(`Invalid 'after': no video with id '${query.after}'.`, 'after', 'invalid_value');
    const data = page.jobs.map((job) => presentJob(ctx, job));
    const idOf = (video: Record<string, unknown> | undefined) =>
      typeof video?.id === 'string' ? video.id : null;
    return {
      object: 'list',
      data,
      first_id: idOf(data[0]),
      last_id: idOf(data.at(-1)),
      has_more: page.hasMore,
    };
  });

  app.get<{ Params: IdParams }>('/videos/:id', async (request) => {
    const job = addressedJob(ctx, request.params.id);
    const { expireAfterPolls } = job.scenario;
    if (expireAfterPolls !== null && job.successfulPolls >= expireAfterPolls) {
      ctx.store.markGone(job);
      throw videoNotFound(job.id);
    }
    job.successfulPolls += 1;
    ctx.watcher.check(job);
    return presentJob(ctx, job);
  });

  app.delete<{ Params: IdParams }>('/videos/:id', async (request): Promise<VideoDeleted> => {
    const job = addressedJob(ctx, request.params.id);
    const { status } = ctx.store.observe(job);
    if (!isTerminal(status)) {
      throw invalidRequest(
        `Video '${job.id}' is ${status}; only finished videos (completed, failed, cancelled or expired) can be deleted.`,
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
    completedSource(ctx, source);
    const { model, seconds, size } = source;
    return createJob(ctx, request, reply, {
      model,
      seconds,
      size,
      prompt,
      remixedFromVideoId: source.id,
      derivation: { kind: 'remix', sourceId: source.id },
      scenario: scenarioFor(ctx, prompt),
    });
  });
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
