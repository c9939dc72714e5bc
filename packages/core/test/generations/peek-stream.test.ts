import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peekStream } from '../../src/generations/peek-stream';

function streamOf(chunks: Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
    cancel() {
      onCancel?.();
    },
  });
}

const joined = async (stream: ReadableStream<Uint8Array>) =>
  new Uint8Array(await new Response(stream).arrayBuffer());

describe('peekStream', () => {
  it('gives the first bytes across chunk boundaries and replays the whole body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 20 }),
        async (chunks, length) => {
          const all = new Uint8Array(chunks.flatMap((chunk) => [...chunk]));
          const { head, body } = await peekStream(streamOf(chunks), length);
          expect([...head]).toEqual([...all.subarray(0, length)]);
          expect([...(await joined(body))]).toEqual([...all]);
        },
      ),
    );
  });

  it('reads no further than it needs, and cancelling the replay cancels the source', async () => {
    let pulled = 0;
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16));
      },
      cancel() {
        cancelled = true;
      },
    });
    const { head, body } = await peekStream(source, 12);
    expect(head.length).toBe(12);
    await body.cancel();
    expect(cancelled).toBe(true);
    // The stream never ends on its own: had it been read to the end, this test would not finish.
    expect(pulled).toBeLessThanOrEqual(2);
  });
});
