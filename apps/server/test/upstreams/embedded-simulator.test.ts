import { normaliseUpstreamStatus } from '@sora-monitor/core/domain';
import { createOpenAIProvider } from '@sora-monitor/core/server';
import { DIALECTS } from '@sora-monitor/simulator';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startUpstream } from '../../src/upstream';

/*
 * SIM_DIALECT: without OPENAI_API_KEY the server starts its built-in simulator in the chosen dialect, and its client
 * is configured as that upstream's users configure theirs. The dialects refuse what a real one refuses (Azure: a
 * bearer token, paths outside /openai/v1, unknown deployments; LiteLLM: a list without the provider header), so a
 * whole generation through the product's provider (create, follow, list, download) proves the settings match.
 */

const logger = pino({ level: 'silent' });

async function bytesOf(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(body).arrayBuffer());
}

describe.concurrent.each(DIALECTS)('SIM_DIALECT=%s', (dialect) => {
  it('starts the built-in simulator in that dialect, and a generation runs through it end to end', async ({
    expect,
  }) => {
    const config = loadConfig({
      SIM_DIALECT: dialect,
      SIM_GENERATION_MS: '200',
      VIDEO_MODELS: 'my-sora,sora-2',
    });
    const upstream = await startUpstream(config, logger);
    try {
      expect(upstream.info.simulated).toBe(true);
      expect(new URL(upstream.info.baseURL).pathname).toBe(dialect === 'azure' ? '/openai/v1' : '/v1');
      const provider = createOpenAIProvider({ client: upstream.client });
      // A catalog name the upstream serves: an Azure deployment, a LiteLLM alias, an extra model name.
      const params = {
        prompt: `A harbour at dawn via ${dialect}`,
        model: 'my-sora',
        size: '720x1280',
        seconds: 4,
      };
      const since = new Date(Date.now() - 60_000);
      const created = await provider.create(params);
      if (created.kind !== 'created') throw new Error(`not created: ${JSON.stringify(created)}`);
      expect(created.video.model).toBe('my-sora');
      // As the product reads it: new-api's SUCCESS is completed.
      for (let status = created.video.status; normaliseUpstreamStatus(status)?.status !== 'completed';) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const retrieved = await provider.retrieve(created.video.id);
        if (retrieved.kind !== 'video') throw new Error(`retrieve failed: ${JSON.stringify(retrieved)}`);
        status = retrieved.video.status;
      }
      // Lost-create reconciliation's list finds the job (LiteLLM lists only the provider its header names).
      expect(await provider.findCreated(params, since, new Set())).toMatchObject({ id: created.video.id });

      const video = await provider.download(created.video.id, 'video');
      const thumbnail = await provider.download(created.video.id, 'thumbnail');
      if (video.kind !== 'stream' || thumbnail.kind !== 'stream') throw new Error('download failed');
      const [videoBytes, thumbnailBytes] = await Promise.all([bytesOf(video.body), bytesOf(thumbnail.body)]);
      expect(videoBytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
      // LiteLLM ignores `variant`: the "thumbnail" is the MP4 again.
      expect(
        thumbnailBytes
          .subarray(dialect === 'litellm' ? 4 : 0, dialect === 'litellm' ? 8 : 4)
          .toString('latin1'),
      ).toBe(dialect === 'litellm' ? 'ftyp' : 'RIFF');
    } finally {
      await upstream.close();
    }
  });
});

describe('SIM_DIALECT with a real endpoint', () => {
  it('is refused: the simulator runs only without a key', () => {
    expect(() => loadConfig({ OPENAI_API_KEY: 'sk-test', SIM_DIALECT: 'azure' })).toThrow(
      'SIM_DIALECT is set but so is OPENAI_API_KEY',
    );
  });
});
