import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of the simulator that adds a fixed latency to every request (the simulator answers at
 * once) and counts retrieves per job, including retrieves of one job that overlapped in time: two workers holding
 * the same job at once would show up here.
 */
export interface LatencyProxy {
  /** The SDK base URL through the proxy. */
  url: string;
  /** Retrieves (`GET /v1/videos/{id}`) per job id since the last reset. */
  retrievesPerJob(): Map<string, number>;
  /** Retrieves of a job that started while another retrieve of the same job was still in flight. */
  overlapping(): number;
  totalRequests(): number;
  reset(): void;
  close(): Promise<void>;
}

const RETRIEVE = /^\/v1\/videos\/([^/?]+)(?:\?.*)?$/;

export async function startLatencyProxy(targetOrigin: string, latencyMs: number): Promise<LatencyProxy> {
  const target = new URL(targetOrigin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  let perJob = new Map<string, number>();
  const inFlight = new Map<string, number>();
  let overlaps = 0;
  let total = 0;

  const server = http.createServer((request, response) => {
    total++;
    const job = request.method === 'GET' ? RETRIEVE.exec(request.url ?? '')?.[1] : undefined;
    if (job) {
      perJob.set(job, (perJob.get(job) ?? 0) + 1);
      const running = inFlight.get(job) ?? 0;
      if (running > 0) overlaps++;
      inFlight.set(job, running + 1);
      response.once('close', () => {
        const left = (inFlight.get(job) ?? 1) - 1;
        if (left === 0) inFlight.delete(job);
        else inFlight.set(job, left);
      });
    }
    setTimeout(() => {
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
          agent,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
    }, latencyMs);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    retrievesPerJob: () => new Map(perJob),
    overlapping: () => overlaps,
    totalRequests: () => total,
    reset() {
      perJob = new Map();
      overlaps = 0;
      total = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
