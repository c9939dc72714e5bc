import net from 'node:net';

/** A TCP forwarder whose link can be cut and restored, to play a database server going away and coming back. */
export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  /** Drops every open connection but keeps accepting new ones. */
  dropConnections(): void;
  /**
   * Cuts the link (as `cut()`) the moment a client sends bytes containing `marker`: the server going away at one
   * precise step of a conversation, such as the driver's first statement on a new connection.
   */
  cutWhenClientSends(marker: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let tripwire: { marker: string; tripped: () => void } | null = null;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.on('data', (chunk: Buffer) => {
      if (!tripwire || !chunk.includes(tripwire.marker)) return void upstream.write(chunk);
      const { tripped } = tripwire;
      tripwire = null;
      void stop().then(tripped);
    });
    client.on('end', () => upstream.end());
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  const port = await listen(0);
  return {
    port,
    cut: stop,
    restore: async () => void (await listen(port)),
    dropConnections: () => sockets.forEach((socket) => socket.destroy()),
    cutWhenClientSends: (marker) => new Promise<void>((tripped) => (tripwire = { marker, tripped })),
    close: stop,
  };
}
