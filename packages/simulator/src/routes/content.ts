import type { FastifyInstance, FastifyReply } from 'fastify';
import { addressedJob, type SimContext } from '../context';
import {
  bufferBody,
  paddedMp4Body,
  paced,
  truncated,
  writeChunks,
  type ContentBody,
} from '../content-stream';
import { ApiError, invalidRequest, invalidValue, serviceUnavailable } from '../errors';
import type { Scenario } from '../scenarios';
import { videoFor } from '../assets';
import { derivedMp4 } from '../derived-content';
import { CONTENT_VARIANTS, type ContentVariant } from '../wire';

const MIB = 1024 * 1024;

/**
 * GET /videos/{id}/content?variant=video|thumbnail|spritesheet. Registered under the dialect's prefix; the dialect
 * decides which asset a variant gets (LiteLLM: always the MP4) and adds its headers.
 */
export function registerContentRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get<{ Params: { id: string }; Querystring: { variant?: string } }>(
    '/videos/:id/content',
    async (request, reply) => {
      const job = addressedJob(ctx, request.params.id);
      const variant = ctx.dialect.contentVariant(parseVariant(request.query.variant));
      const observation = ctx.store.observe(job);
      if (observation.status === 'failed' || observation.status === 'cancelled') {
        throw invalidRequest(
          `Video '${job.id}' ${observation.status === 'failed' ? 'failed to generate' : 'was cancelled'}; it has no content to download.`,
          'video_id',
          observation.status === 'failed' ? 'video_failed' : 'video_cancelled',
        );
      }
      if (observation.status === 'expired') {
        throw new ApiError(
          404,
          `The content of video '${job.id}' has expired; downloads are available for one hour after completion.`,
          'invalid_request_error',
          'video_id',
          'content_expired',
        );
      }
      if (observation.status !== 'completed') {
        throw invalidRequest(
          `Video '${job.id}' is not ready yet (status: ${observation.status}). Download its content once its status is 'completed'.`,
          'video_id',
          'video_not_ready',
        );
      }
      if (variant === 'thumbnail' && job.thumbnail503Left > 0) {
        job.thumbnail503Left -= 1;
        throw serviceUnavailable(ctx.options.retryAfterMs);
      }
      const asset = ctx.assets[variant];
      // The video of the size and duration the job asked for.
      const source = variant === 'video' ? videoFor(ctx.assets, job.size, job.seconds) : asset.bytes;
      const bytes = variant === 'video' && job.derivation ? derivedMp4(source, job.derivation) : source;
      const body =
        variant === 'video' && job.scenario.sizeMb !== null
          ? paddedMp4Body(bytes, job.scenario.sizeMb * MIB)
          : bufferBody(bytes);
      const reset = job.scenario.downloadReset || ctx.chaos.resetsDownload(request.raw);
      await sendContent(
        reply,
        body,
        { 'content-type': asset.contentType, ...ctx.dialect.contentHeaders(job.id) },
        { ...job.scenario, downloadReset: reset },
        ctx.options.generationMs,
      );
      return reply;
    },
  );
}

/**
 * Streams the body by hand (the reply is hijacked) so the scenarios can pace it or cut the connection halfway, which a
 * framework reply would not allow.
 */
async function sendContent(
  reply: FastifyReply,
  body: ContentBody,
  headers: Record<string, string>,
  scenario: Scenario,
  defaultSlowMs: number,
) {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { ...headers, 'content-length': String(body.length) });
  const closed = new AbortController();
  res.once('close', () => closed.abort());

  // A reset sends half of what content-length promised.
  const length = scenario.downloadReset ? Math.floor(body.length / 2) : body.length;
  const source = scenario.downloadReset ? truncated(body.chunks(), length) : body.chunks();
  const chunks = scenario.slowDownload
    ? paced(source, length, scenario.slowDownload.totalMs ?? defaultSlowMs, closed.signal)
    : source;
  const sent = await writeChunks(res, chunks);
  if (!sent) return;
  if (scenario.downloadReset) res.socket?.destroy();
  else res.end();
}

function parseVariant(value: string | undefined): ContentVariant {
  const variant = value ?? 'video';
  if (!(CONTENT_VARIANTS as readonly string[]).includes(variant))
    throw invalidValue('variant', variant, CONTENT_VARIANTS);
  return variant as ContentVariant;
}
