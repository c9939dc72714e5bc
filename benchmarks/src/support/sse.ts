import http from 'node:http';

/**
 * A minimal SSE client for tRPC's httpSubscriptionLink wire format (`id:` / `data:` lines, `event: ping` and
 * `event: connected` control messages). Thousands of them are cheap: one socket and a string buffer each.
 */
export interface Subscriber {
  /** When each tracked message (by its SSE id) arrived, in performance.now() ms. */
  received: Map<string, number>;
  /** Resolves at the first data message (the subscription is live and has read its backlog). */
  ready: Promise<void>;
  close(): void;
}

export function subscribe(
  url: string,
  headers: Record<string, string>,
  agent: http.Agent,
  /** Called with each data message's payload and its arrival time (Date.now(), to compare with other processes). */
  onData?: (data: string, arrivedAtMs: number) => void,
): Subscriber {
  const received = new Map<string, number>();
  let markReady: () => void = () => {};
  let fail: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });
  const request = http.get(
    url,
    { headers: { ...headers, accept: 'text/event-stream' }, agent },
    (response) => {
      if (response.statusCode !== 200) {
        fail(new Error(`subscription answered ${response.statusCode}`));
        response.resume();
        return;
      }
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (text: string) => {
        const now = performance.now();
        buffer += text;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          let id: string | null = null;
          let event: string | null = null;
          let data = '';
          for (const line of message.split('\n')) {
            if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
          }
          if (event === 'serialized-error') {
            // tRPC ends a refused subscription this way (a cap, a lost session): waiting for data would hang.
            fail(new Error(`subscription refused: ${message.replace(/^.*data:\s*/s, '').slice(0, 300)}`));
          } else if (event === null || event === 'message') {
            if (id !== null && !received.has(id)) received.set(id, now);
            if (onData && data) onData(data, Date.now());
            markReady();
          }
        }
      });
    },
  );
  request.on('error', (error) => fail(error));
  return {
    received,
    ready,
    close: () => request.destroy(),
  };
}
