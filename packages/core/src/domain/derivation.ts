import { AppError } from './errors';
import { catalogEntryFor, type ModelCatalog, type ModelOperations } from './catalog';
import type { GenerationStatus } from './status';

// How a video is made: from a prompt ('create', optionally with a reference image), or from one of the user's
// completed videos ('remix', 'edit', 'extend': openai 6.x `videos.remix`, `videos.edit`, `videos.extend`).

export const VIDEO_OPERATIONS = ['create', 'remix', 'edit', 'extend'] as const;
export type VideoOperation = (typeof VIDEO_OPERATIONS)[number];
export type DerivedOperation = Exclude<VideoOperation, 'create'>;

const NONE: ModelOperations = { remix: false, extend: false, edit: false };

/**
 * The one place that decides which operations a model supports: its catalog entry's `operations` (a dated snapshot
 * follows its base model, as for pricing); a model the catalog does not list supports none, so the action is not
 * offered rather than failing upstream.
 */
export function supportedOperations(catalog: ModelCatalog, model: string): ModelOperations {
  return catalogEntryFor(catalog, model)?.operations ?? NONE;
}

/** Seconds of new footage an extension may add (openai 6.x `VideoExtendParams.seconds`: VideoSeconds). */
export const EXTENSION_SECONDS = [4, 8, 12] as const;
export type ExtensionSeconds = (typeof EXTENSION_SECONDS)[number];

const VERB: Record<DerivedOperation, string> = { remix: 'remixed', edit: 'edited', extend: 'extended' };

/** The video a derivation starts from, as far as the rules need it. */
export interface DerivationSource {
  id: string;
  model: string;
  size: string;
  seconds: number;
  status: GenerationStatus;
  jobId: string | null;
}

export interface DerivationRequest {
  operation: DerivedOperation;
  prompt: string;
  /** Extensions only: seconds of new footage. */
  extensionSeconds?: ExtensionSeconds;
}

/** The new video's fields: it keeps the source's model and size; an extension's `seconds` is the stitched total. */
export interface DerivedVideoPlan {
  operation: DerivedOperation;
  prompt: string;
  model: string;
  size: string;
  seconds: number;
  sourceVideoId: string;
  sourceJobId: string;
  extensionSeconds: number | null;
}

/**
 * Decides whether `source` can be remixed, edited or extended, and what the new video is. Refuses (BAD_REQUEST,
 * with a message naming the problem) a source that is not completed or whose model does not support the operation,
 * before anything is written or sent upstream.
 */
export function planDerivedVideo(catalog: ModelCatalog, source: DerivationSource, request: DerivationRequest): DerivedVideoPlan {
  const { operation } = request;
  if (!supportedOperations(catalog, source.model)[operation]) {
    throw new AppError('BAD_REQUEST', `Videos made with ${source.model} cannot be ${VERB[operation]} on this server.`, { field: 'videoId' });
  }
  if (source.status !== 'completed' || source.jobId === null) {
    throw new AppError(
      'BAD_REQUEST',
      `Only a completed video can be ${VERB[operation]}; this one is ${source.status.replace('_', ' ')}.`,
      { field: 'videoId' },
    );
  }
  if (operation === 'extend' && request.extensionSeconds === undefined) {
    throw new AppError('BAD_REQUEST', 'seconds is required to extend a video', { field: 'seconds' });
  }
  const extensionSeconds = operation === 'extend' ? (request.extensionSeconds ?? null) : null;
  return {
    operation,
    prompt: request.prompt,
    model: source.model,
    size: source.size,
    seconds: source.seconds + (extensionSeconds ?? 0),
    sourceVideoId: source.id,
    sourceJobId: source.jobId,
    extensionSeconds,
  };
}
