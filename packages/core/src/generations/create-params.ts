import { buffer } from 'node:stream/consumers';
import type { Video } from '@sora-monitor/db';
import { REFERENCE_IMAGE_TYPES } from '../domain';
import type { CreateVideoParams } from '../provider';
import type { GenerationDeps } from './deps';

/** The blob key of a video's input reference image (under the video's folder, so deleting the video removes it). */
export function referenceImageKey(videoId: string, extension: string): string {
  return `videos/${videoId}/reference.${extension}`;
}

function mimeTypeOf(key: string): string {
  const extension = key.split('.').pop();
  return Object.values(REFERENCE_IMAGE_TYPES).find((type) => type.extension === extension)?.mimeType ?? 'application/octet-stream';
}

/**
 * What an attempt asks upstream for: the video's prompt, model, size and seconds, plus its reference image (read
 * back from the blob store, where it was stored when checked) or the upstream job it derives from.
 */
export async function createParams(deps: Pick<GenerationDeps, 'blobs'>, video: Video): Promise<CreateVideoParams> {
  const params: CreateVideoParams = { prompt: video.prompt, model: video.model, size: video.size, seconds: video.seconds };
  if (video.operation !== 'create' && video.sourceJobId) {
    const operation = video.operation as 'remix' | 'edit' | 'extend';
    params.derivation = { operation, sourceJobId: video.sourceJobId, extensionSeconds: video.extensionSeconds };
  }
  if (video.referenceImageKey) {
    const key = video.referenceImageKey;
    params.inputReference = { bytes: await buffer(await deps.blobs.read(key)), mimeType: mimeTypeOf(key), filename: key.split('/').pop() ?? 'reference' };
  }
  return params;
}
