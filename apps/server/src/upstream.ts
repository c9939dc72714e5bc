import { startSimulator } from '@sora-monitor/simulator';
import type { ProviderInfo } from '@sora-monitor/core';
import OpenAI from 'openai';
import type { Logger } from 'pino';
import type { Config } from './config';

export interface Upstream {
  info: ProviderInfo;
  client: OpenAI;
  /** Lets the built-in simulator deliver signed webhooks back to this server once it listens. */
  connectWebhooks(url: string, secret: string): void;
  close(): Promise<void>;
}

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * The real endpoint when an API key is configured; otherwise the built-in simulator, started in-process on a free
 * port and reached over HTTP through the same SDK, so the code path is identical either way.
 */
export async function startUpstream(config: Config, logger: Logger): Promise<Upstream> {
  const { apiKey, baseURL } = config.openai;
  if (apiKey) {
    const url = baseURL ?? OPENAI_DEFAULT_BASE_URL;
    logger.info({ baseURL: url }, 'Using the OpenAI Videos endpoint at %s', url);
    return {
      info: { simulated: false, baseURL: url },
      client: new OpenAI({ apiKey, baseURL: url }),
      connectWebhooks: () => {},
      close: async () => {},
    };
  }
  const simulator = await startSimulator({
    port: 0,
    generationMs: config.simulatorGenerationMs,
    logger: logger.child({ component: 'simulator' }),
  });
  logger.warn(
    { simulatorUrl: simulator.url },
    'OPENAI_API_KEY is not set: using the built-in Sora simulator at %s. Videos are generated test patterns, not real Sora output.',
    simulator.url,
  );
  return {
    info: { simulated: true, baseURL: simulator.url },
    client: new OpenAI({ apiKey: simulator.apiKey, baseURL: simulator.url }),
    connectWebhooks: (url, secret) => simulator.setWebhook(url, secret),
    close: () => simulator.close(),
  };
}
