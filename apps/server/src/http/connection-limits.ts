import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';

/** Slow-client protection for the HTTP server; long-lived SSE responses are unaffected (see each field). */
export interface ConnectionLimits {
  /**
   * Most time a client may take to send a whole request, headers and body (node's requestTimeout). An SSE subscription
   * is a GET whose request is complete at once, so its long response is not cut; a body dribbled in is.
   */
  requestTimeoutMs: number;
  /** Open connections per client address; one more is closed at once. 0 turns it off (e.g. behind a proxy). */
  connectionsPerIp: number;
  /** How often node checks requests against the timeout (its default is 30 s; tests make it short). */
  checkIntervalMs?: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { requestTimeoutMs: 30_000, connectionsPerIp: 200 };

/** Options for fastify's constructor: node's request and header timeouts. */
export function serverTimeoutOptions(limits: ConnectionLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(limits.requestTimeoutMs, 60_000),
      ...(limits.checkIntervalMs ? { connectionsCheckingInterval: limits.checkIntervalMs } : {}),
    },
  };
}

/** Closes a new connection from an address that already holds `connectionsPerIp` open ones. */
export function capConnectionsPerIp(server: Server, limits: ConnectionLimits, log: FastifyBaseLogger): void {
  if (limits.connectionsPerIp <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= limits.connectionsPerIp) {
      log.warn({ address, limit: limits.connectionsPerIp }, 'Too many connections from one address; closing the new one');
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
