import net from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that counts the statements its clients send, by reading the frontend side of
 * the wire protocol: `Q` (simple query) and `E` (execute a prepared/bound statement) are one statement each; `P`
 * (parse) is counted apart, as prepared-statement overhead. pg_stat_statements needs a server restart to load, so
 * this is how statements per generation are measured without touching the shared server. Clients must not use TLS
 * (postgres.js does not unless asked).
 */
export interface StatementCounts {
  statements: number;
  parses: number;
  connections: number;
}

export interface PgCounter {
  /** `databaseUrl` rewritten to go through the proxy. */
  urlFor(databaseUrl: string): string;
  counts(): StatementCounts;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Follows one client's message stream across chunk boundaries: headers are read, bodies skipped. */
class FrontendStream {
  private startup = true;
  private skip = 0;
  private header = Buffer.alloc(0);

  constructor(private readonly onMessage: (type: string) => void) {}

  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const skipped = Math.min(this.skip, chunk.length - at);
        this.skip -= skipped;
        at += skipped;
        continue;
      }
      // Start-up packets have no type byte (length + code); every later message is type + length.
      const need = this.startup ? 8 : 5;
      const taken = Math.min(need - this.header.length, chunk.length - at);
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + taken)]);
      at += taken;
      if (this.header.length < need) continue;
      if (this.startup) {
        const length = this.header.readInt32BE(0);
        const code = this.header.readInt32BE(4);
        this.skip = length - 8;
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.startup = false;
      } else {
        this.onMessage(String.fromCharCode(this.header[0]!));
        this.skip = this.header.readInt32BE(1) - 4;
      }
      this.header = Buffer.alloc(0);
    }
  }
}

export async function startPgCounter(serverUrl: string): Promise<PgCounter> {
  const target = new URL(serverUrl);
  const counts: StatementCounts = { statements: 0, parses: 0, connections: 0 };
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    counts.connections++;
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const stream = new FrontendStream((type) => {
      if (type === 'Q' || type === 'E') counts.statements++;
      else if (type === 'P') counts.parses++;
    });
    client.on('data', (chunk: Buffer) => stream.feed(chunk));
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    counts: () => ({ ...counts }),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
