import type { LimitFunction } from 'p-limit';
import { onceSettled } from './call-signal';
import type { DownloadResult, VideoProvider } from './types';

/**
 * The provider with at most `slots` status and content calls upstream at once; a download keeps its slot until its
 * body has been read to the end, has failed or was cancelled. Only the call holds a slot, not what its caller does
 * with the answer (the database write after a poll), so the next call starts while that write is under way.
 */
export function withUpstreamCallSlots(provider: VideoProvider, slots: LimitFunction): VideoProvider {
  return {
    create: (params, options) => provider.create(params, options),
    findCreated: (params, since, known) => provider.findCreated(params, since, known),
    retrieve: (jobId, options) => slots(() => provider.retrieve(jobId, options)),
    download: (jobId, variant, options) =>
      new Promise<DownloadResult>((resolve, reject) => {
        void slots(async () => {
          let result: DownloadResult;
          try {
            result = await provider.download(jobId, variant, options);
          } catch (error) {
            reject(error);
            return;
          }
          if (result.kind !== 'stream') {
            resolve(result);
            return;
          }
          let release = () => {};
          const bodySettled = new Promise<void>((settle) => (release = settle));
          resolve({ ...result, body: onceSettled(result.body, release) });
          await bodySettled;
        });
      }),
  };
}
