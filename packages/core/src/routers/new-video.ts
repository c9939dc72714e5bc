import { randomUUID } from 'node:crypto';
import type { NewVideo, Video } from '@sora-monitor/db';
import type { z } from 'zod';
import { withReferenceImage, type GenerationDeps } from '../generations';
import { parseVideoOptions, type createVideoInput } from './schemas';
import { titleFromPrompt } from './views';

/**
 * A new video from the New video form's input (`videos.create`, `sora.createAndGenerate`): the options checked
 * against the server's catalog, the reference image checked before anything is stored (and removed again if
 * `record` stores nothing), the title from the prompt unless given. `record` decides what is committed.
 */
export function newVideoFromInput(
  deps: GenerationDeps,
  input: z.infer<typeof createVideoInput>,
  record: (video: Omit<NewVideo, 'userId'>) => Promise<Video>,
): Promise<Video> {
  const options = parseVideoOptions(deps.settings.catalog, input);
  const id = randomUUID();
  return withReferenceImage(deps, { videoId: id, image: input.image, size: options.size }, (referenceImageKey) =>
    record({ id, title: input.title ?? titleFromPrompt(input.prompt), prompt: input.prompt, ...options, referenceImageKey }),
  );
}
