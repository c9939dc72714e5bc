/**
 * Reads the first `length` bytes of a stream (fewer if it ends sooner) without losing them: the returned stream
 * yields the whole body again, starting with those bytes, and pulls the rest only as its consumer reads. Used to
 * look at a file's magic number before deciding to store it, without buffering the file.
 */
export async function peekStream(
  body: ReadableStream<Uint8Array>,
  length: number,
): Promise<{ head: Uint8Array; body: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < length && !done) {
    const next = await reader.read();
    if (next.done) done = true;
    else if (next.value.byteLength > 0) {
      chunks.push(next.value);
      size += next.value.byteLength;
    }
  }
  const head = concat(chunks, size);
  let pending: Uint8Array | null = size > 0 ? head : null;
  const replay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending) {
        controller.enqueue(pending);
        pending = null;
        return;
      }
      const next = done ? { done: true as const, value: undefined } : await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head: head.subarray(0, Math.min(length, size)), body: replay };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
