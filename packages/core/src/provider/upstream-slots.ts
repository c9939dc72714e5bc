import type { LimitFunction } from 'p-limit';
import { onceSettled } from './call-signal';
import type { DownloadResult } from './types';

/** Runs one upstream request in a slot when there are slots, as it is otherwise. */
export function inSlot<T>(slots: LimitFunction | undefined, request: () => Promise<T>): Promise<T> {
  return slots ? slots(request) : request();
}

/**
 * The same for a download, whose body is still arriving when the request returns: its slot is kept until the body
 * has been read to the end, has failed or was cancelled.
 */
export function downloadInSlot(slots: LimitFunction | undefined, request: () => Promise<DownloadResult>): Promise<DownloadResult> {
  if (!slots) return request();
  return new Promise<DownloadResult>((resolve, reject) => {
    void slots(async () => {
      let result: DownloadResult;
      try {
        result = await request();
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
  });
}
