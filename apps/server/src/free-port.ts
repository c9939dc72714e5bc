import net from 'node:net';

export interface PortReservation {
  port: number;
  /** Frees the port for the server to listen on; until then nothing else (e.g. the embedded simulator) can take it. */
  release(): Promise<void>;
}

/**
 * Asks the OS for a free port and keeps it bound, so PORT=0 still gives auth a concrete base URL before the server
 * listens, and listeners opened meanwhile on port 0 (the built-in simulator) cannot be handed the same port.
 */
export function reserveFreePort(host: string): Promise<PortReservation> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ port, release: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
