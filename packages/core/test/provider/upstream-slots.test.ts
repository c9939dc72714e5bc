import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { withUpstreamCallSlots, type DownloadResult, type RetrieveResult, type VideoProvider } from '../../src/provider';

/*
 * The poller's upstream slots: a call holds one while it is upstream (a download until its body is read), and gives
 * it back the moment it answers, so the caller's database write does not keep the next call waiting.
 */

const video = (id: string): RetrieveResult => ({ kind: 'video', video: { id, status: 'in_progress', progress: 50 } as never });

function bodyOf(bytes: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

/** A provider whose calls are logged when they start; downloads answer with a one-chunk body. */
function loggingProvider(started: string[]): VideoProvider {
  return {
    create: () => Promise.reject(new Error('not used')),
    findCreated: () => Promise.reject(new Error('not used')),
    retrieve: async (jobId) => {
      started.push(`retrieve ${jobId}`);
      return video(jobId);
    },
    download: async (jobId): Promise<DownloadResult> => {
      started.push(`download ${jobId}`);
      if (jobId === 'gone') return { kind: 'not_found', message: 'gone' } as never;
      return { kind: 'stream', body: bodyOf([1, 2, 3]), contentType: 'video/mp4', contentLength: 3 };
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('withUpstreamCallSlots', () => {
  it('gives a status call\'s slot back when it answers: the caller\'s own work after it holds none', async () => {
    const started: string[] = [];
    const provider = withUpstreamCallSlots(loggingProvider(started), pLimit(1));
    let releaseWrite = () => {};
    const write = new Promise<void>((resolve) => (releaseWrite = resolve));
    // The first refresh heard its answer and is now "writing" (still running); the second may already ask.
    const first = provider.retrieve('a').then(() => write);
    await provider.retrieve('b');
    expect(started).toEqual(['retrieve a', 'retrieve b']);
    releaseWrite();
    await first;
  });

  it('holds a download\'s slot until its body has been read, then lets the next call go', async () => {
    const started: string[] = [];
    const provider = withUpstreamCallSlots(loggingProvider(started), pLimit(1));
    const download = await provider.download('big', 'video');
    const next = provider.retrieve('next');
    await tick();
    expect(started).toEqual(['download big']);
    if (download.kind !== 'stream') throw new Error('expected a stream');
    expect([...new Uint8Array(await new Response(download.body).arrayBuffer())]).toEqual([1, 2, 3]);
    await next;
    expect(started).toEqual(['download big', 'retrieve next']);
  });

  it('frees the slot of a download that was cancelled, or that answered without a body', async () => {
    const started: string[] = [];
    const provider = withUpstreamCallSlots(loggingProvider(started), pLimit(1));
    const cancelled = await provider.download('cut', 'video');
    if (cancelled.kind !== 'stream') throw new Error('expected a stream');
    await cancelled.body.cancel('cut short');
    expect((await provider.download('gone', 'video')).kind).toBe('not_found');
    await provider.retrieve('after');
    expect(started).toEqual(['download cut', 'download gone', 'retrieve after']);
  });
});
