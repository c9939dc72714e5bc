import type { FastifyInstance } from 'fastify';
import { addressedJob, type SimContext } from '../context';
import { parseCharacterParams, parseEditParams, parseExtendParams } from '../derive-params';
import { ApiError } from '../errors';
import type { Derivation, Job, NewJob } from '../jobs';
import type { VideoReference } from '../reference-params';
import { readRequestFields } from '../request-body';
import type { CharacterObject } from '../wire';
import { completedSource, createJob, scenarioFor } from './create-job';

/** What a new job inherits from the video it is made from (an upload: the API's defaults). */
function sourceOf(ctx: SimContext, reference: VideoReference): Job | null {
  if (reference.kind === 'upload') return null;
  const source = addressedJob(ctx, reference.id);
  completedSource(ctx, source);
  return source;
}

function derivedJob(
  source: Job | null,
  kind: Derivation['kind'],
  prompt: string,
  seconds: string,
  ctx: SimContext,
): NewJob {
  return {
    model: source?.model ?? 'sora-2',
    size: source?.size ?? '720x1280',
    seconds,
    prompt,
    remixedFromVideoId: null,
    derivation: { kind, sourceId: source?.id ?? null },
    scenario: scenarioFor(ctx, prompt),
  };
}

/**
 * POST /videos/edits, POST /videos/extensions, POST /videos/characters and GET /videos/characters/{id} (openai 6.x
 * `videos.edit`, `extend`, `createCharacter`, `getCharacter`). Edits and extensions are jobs like any other: they
 * run, take markers, and finish with content that differs from a plain generation's.
 */
export function registerDerivedRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/videos/edits', async (request, reply) => {
    const params = parseEditParams(await readRequestFields(request));
    const source = sourceOf(ctx, params.video);
    return createJob(
      ctx,
      request,
      reply,
      derivedJob(source, 'edit', params.prompt, source?.seconds ?? '4', ctx),
    );
  });

  app.post('/videos/extensions', async (request, reply) => {
    const params = parseExtendParams(await readRequestFields(request));
    const source = sourceOf(ctx, params.video);
    // The extended video is the source followed by the new segment.
    const total = String(Number(source?.seconds ?? 0) + Number(params.seconds));
    return createJob(ctx, request, reply, derivedJob(source, 'extension', params.prompt, total, ctx));
  });

  app.post('/videos/characters', async (request): Promise<CharacterObject> => {
    const { name } = parseCharacterParams(await readRequestFields(request));
    return ctx.characters.create(name);
  });

  app.get<{ Params: { id: string } }>('/videos/characters/:id', async (request): Promise<CharacterObject> => {
    const character = ctx.characters.find(request.params.id);
    if (!character) {
      throw new ApiError(
        404,
        `Character with id '${request.params.id}' not found.`,
        'invalid_request_error',
        'character_id',
        'not_found',
      );
    }
    return character;
  });
}
