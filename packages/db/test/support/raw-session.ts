import net from 'node:net';

/**
 * A PostgreSQL session driven message by message over the wire protocol, so a test can stop it exactly where a paused
 * process stops: in the middle of a statement (Parse sent and flushed, no Sync), which no driver leaves on purpose.
 */
export interface RawSession {
  /** The server process serving it (BackendKeyData). */
  pid: number;
  /** Runs `text` as a simple query and waits for the server to be ready again. */
  query(text: string): Promise<void>;
  /** Sends Parse for `text` and Flush, and waits for ParseComplete: the session now waits for the rest. */
  parseWithoutSync(text: string): Promise<void>;
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>;
  isClosed(): boolean;
  end(): void;
}

const message = (type: string, body: Buffer) => {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
};
const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');

export async function openRawSession(
  url: string,
  settings: Record<string, string> = {},
): Promise<RawSession> {
  const target = new URL(url);
  const socket = net.connect({ host: target.hostname, port: Number(target.port || 5432) });
  let buffered = Buffer.alloc(0);
  let waiter: { type: string; resolve: () => void; reject: (error: Error) => void } | null = null;
  let pid = 0;
  let closedFlag = false;
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closedFlag = true;
      waiter?.reject(new Error('connection closed'));
      resolve();
    }),
  );
  socket.on('error', () => undefined); // surfaces as 'close'
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 5) {
      const length = buffered.readInt32BE(1);
      if (buffered.length < length + 1) break;
      const type = String.fromCharCode(buffered[0]!);
      const body = buffered.subarray(5, length + 1);
      buffered = buffered.subarray(length + 1);
      if (type === 'K') pid = body.readInt32BE(0);
      if (type === 'R' && body.readInt32BE(0) !== 0)
        waiter?.reject(new Error('the raw session speaks trust authentication only'));
      if (type === 'E')
        waiter?.reject(new Error(`server error: ${body.toString('utf8').replace(/\0/g, ' ')}`));
      else if (waiter && type === waiter.type) waiter.resolve();
    }
  });
  const expect = (type: string) =>
    new Promise<void>((resolve, reject) => {
      waiter = {
        type,
        resolve: () => ((waiter = null), resolve()),
        reject: (error) => ((waiter = null), reject(error)),
      };
    });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));

  const params = {
    user: decodeURIComponent(target.username),
    database: target.pathname.slice(1),
    ...settings,
  };
  const startup = Buffer.concat([
    Buffer.from([0, 3, 0, 0]), // protocol 3.0
    ...Object.entries(params).flatMap(([key, value]) => [cstring(key), cstring(value)]),
    Buffer.from([0]),
  ]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(startup.length + 4);
  const ready = expect('Z');
  socket.write(Buffer.concat([length, startup])); // trust authentication: no password exchange
  await ready;

  return {
    pid,
    closed,
    isClosed: () => closedFlag,
    async query(text) {
      const done = expect('Z');
      socket.write(message('Q', cstring(text)));
      await done;
    },
    async parseWithoutSync(text) {
      const parsed = expect('1');
      socket.write(
        Buffer.concat([
          message('P', Buffer.concat([cstring(''), cstring(text), Buffer.from([0, 0])])),
          message('H', Buffer.alloc(0)),
        ]),
      );
      await parsed;
    },
    end: () => socket.destroy(),
  };
}
