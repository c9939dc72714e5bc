import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { downloadInSlot, inSlot, type DownloadResult } from '../../src/provider';

/*
 * The poller's upstream slots: a request holds one while it is upstream (a download until its body is read), and
 * gives it back the moment it answers, so the caller's database write does not keep the next request waiting.
 */

function bodyOf(bytes: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

const streamed = (): Promise<DownloadResult> =>
  Promise.resolve({ kind: 'stream', body: bodyOf([1, 2, 3]), contentType: 'video/mp4', contentLength: 3 });

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('upstream slots', () => {
  it("give a request's slot back when it answers: the caller's own work after it holds none", async () => {
    const slots = pLimit(1);
    const started: string[] = [];
    let releaseWrite = () => {};
    const write = new Promise<void>((resolve) => (releaseWrite = resolve));
    // The first refresh heard its answer and is now "writing" (still running); the second may already ask.
    const first = inSlot(slots, async () => started.push('a')).then(() => write);
    await inSlot(slots, async () => started.push('b'));
    expect(started).toEqual(['a', 'b']);
    releaseWrite();
    await first;
  });

  it("hold a download's slot until its body has been read, then let the next request go", async () => {
    const slots = pLimit(1);
    const started: string[] = [];
    const download = await downloadInSlot(slots, () => (started.push('download'), streamed()));
    const next = inSlot(slots, async () => started.push('next'));
    await tick();
    expect(started).toEqual(['download']);
    if (download.kind !== 'stream') throw new Error('expected a stream');
    expect([...new Uint8Array(await new Response(download.body).arrayBuffer())]).toEqual([1, 2, 3]);
    await next;
    expect(started).toEqual(['download', 'next']);
  });

  it('free the slot of a download that was cancelled, answered without a body, or threw', async () => {
    const slots = pLimit(1);
    const cancelled = await downloadInSlot(slots, streamed);
    if (cancelled.kind !== 'stream') throw new Error('expected a stream');
    await cancelled.body.cancel('cut short');
    const gone = await downloadInSlot(slots, async () => ({ kind: 'not_found', message: 'gone' }) as never);
    expect(gone.kind).toBe('not_found');
    await expect(downloadInSlot(slots, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await inSlot(slots, async () => 'after')).toBe('after');
    expect(slots.activeCount).toBe(0);
  });

  it('run the request as it is without slots', async () => {
    expect(await inSlot(undefined, async () => 'plain')).toBe('plain');
  });
});
