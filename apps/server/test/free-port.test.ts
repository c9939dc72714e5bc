import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { reserveFreePort } from '../src/free-port';

const listenOn = (port: number) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('PORT=0: the port reservation', () => {
  it('keeps the chosen port taken until released (the embedded simulator cannot be handed it), then frees it', async () => {
    const reservation = await reserveFreePort('127.0.0.1');
    expect(reservation.port).toBeGreaterThan(0);
    await expect(listenOn(reservation.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // Ports the OS hands out for port 0 meanwhile are never the reserved one.
    const others = await Promise.all(Array.from({ length: 20 }, () => listenOn(0)));
    expect(others.map((server) => (server.address() as net.AddressInfo).port)).not.toContain(reservation.port);
    await Promise.all(others.map(close));

    await reservation.release();
    const server = await listenOn(reservation.port);
    await close(server);
    // Releasing twice (start-up failed after listening began) is harmless.
    await expect(reservation.release()).resolves.toBeUndefined();
  });
});
