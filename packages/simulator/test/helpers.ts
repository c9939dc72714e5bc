import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { AzureOpenAI } from 'openai';
import type { Video } from 'openai/resources/videos';
import { afterEach } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../src/index';

/** Short enough to keep the suite fast, long enough to observe queued and in_progress between polls. */
export const TEST_GENERATION_MS = 300;

const openSimulators: Simulator[] = [];
afterEach(async () => {
  await Promise.all(openSimulators.splice(0).map((sim) => sim.close()));
});

/** A simulator on a free port, closed after the current test. */
export async function startTestSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ generationMs: TEST_GENERATION_MS, ...options });
  openSimulators.push(sim);
  return sim;
}

/** The real SDK pointed at the simulator. maxRetries 0 by default, so tests see raw errors. */
export function sdkFor(sim: Simulator, options: { maxRetries?: number; apiKey?: string } = {}): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey ?? sim.apiKey,
    baseURL: sim.url,
    maxRetries: options.maxRetries ?? 0,
  });
}

/**
 * The real SDK configured for the simulator's dialect the way a user configures it for that upstream: Azure with
 * the `AzureOpenAI` client (api-key header, api-version), LiteLLM with the `custom-llm-provider` header its list
 * needs, openai and new-api with plain bearer auth.
 */
export function dialectClient(sim: Simulator, provider = 'openai'): OpenAI {
  const common = { apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0 };
  switch (sim.dialect) {
    case 'azure':
      return new AzureOpenAI({ ...common, apiVersion: 'preview' });
    case 'litellm':
      return new OpenAI({ ...common, defaultHeaders: { 'custom-llm-provider': provider } });
    default:
      return new OpenAI(common);
  }
}

/** A clock the test moves by hand. */
export function manualClock(startMs = Date.UTC(2026, 0, 1)) {
  let current = startMs;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}

/** Polls with the SDK until the video reaches `status`; fails with the last status seen rather than hanging. */
export async function waitForStatus(
  client: OpenAI,
  id: string,
  status: string,
  budgetMs = 10_000,
): Promise<Video[]> {
  const seen: Video[] = [];
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const video = await client.videos.retrieve(id);
    seen.push(video);
    if (video.status === status) return seen;
    if (Date.now() > deadline)
      throw new Error(`video ${id} never reached ${status}; last: ${video.status} ${video.progress}%`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

export async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

export interface Delivery {
  body: string;
  headers: IncomingHttpHeaders;
}

/**
 * A real HTTP endpoint that records webhook deliveries. `statuses` scripts its answers in order (then 200 forever),
 * so a test can make the first attempt fail.
 */
export async function startWebhookReceiver(statuses: number[] = []) {
  const deliveries: Delivery[] = [];
  const waiters: Array<() => void> = [];
  const script = [...statuses];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(script.shift() ?? 200).end();
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/openai`,
    deliveries,
    /** Resolves once `count` deliveries have arrived. */
    async received(count: number): Promise<Delivery[]> {
      while (deliveries.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return deliveries.slice(0, count);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers of a delivery as the plain record `client.webhooks.unwrap` accepts. */
export function headerRecord(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
  );
}
