import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCliConfig } from '../src/cli-config';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The CLI as a real process (tsx loader, as `pnpm start` runs it), collecting its output. */
function runCli(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts'], {
    cwd: PACKAGE_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => output };
}

describe('the standalone CLI', () => {
  it('starts on SIM_PORT, prints its URL, serves, and exits 0 on SIGTERM', async () => {
    const cli = runCli({ SIM_PORT: '0', SIM_API_KEY: 'cli-key', SIM_GENERATION_MS: '500' });
    const url = await new Promise<string>((resolve, reject) => {
      cli.child.stdout.on('data', () => {
        const match = /ready at (http:\/\/\S+\/v1)/.exec(cli.output());
        if (match?.[1]) resolve(match[1]);
      });
      void cli.exited.then(() => reject(new Error(`CLI exited early:\n${cli.output()}`)));
    });
    const response = await fetch(`${url}/videos`, { headers: { authorization: 'Bearer cli-key' } });
    expect(response.status).toBe(200);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual([0, null]);
  });

  it('speaks the dialect SIM_DIALECT names (azure: /openai/v1, api-key header, SIM_MODELS deployments)', async () => {
    const cli = runCli({ SIM_PORT: '0', SIM_API_KEY: 'az-key', SIM_DIALECT: 'azure', SIM_MODELS: 'my-dep' });
    const url = await new Promise<string>((resolve, reject) => {
      cli.child.stdout.on('data', () => {
        const match = /ready at (http:\/\/\S+\/openai\/v1)/.exec(cli.output());
        if (match?.[1]) resolve(match[1]);
      });
      void cli.exited.then(() => reject(new Error(`CLI exited early:\n${cli.output()}`)));
    });
    expect((await fetch(`${url}/videos`, { headers: { 'api-key': 'az-key' } })).status).toBe(200);
    expect((await fetch(`${url}/videos`, { headers: { authorization: 'Bearer az-key' } })).status).toBe(401);
    const create = await fetch(`${url}/videos`, {
      method: 'POST',
      headers: { 'api-key': 'az-key', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'p', model: 'my-dep' }),
    });
    expect(await create.json()).toMatchObject({ model: 'my-dep', status: 'queued' });

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual([0, null]);
  });

  it('refuses a bad number, naming the variable, with exit code 1', async () => {
    const cli = runCli({ SIM_GENERATION_MS: 'fast' });
    expect((await cli.exited)[0]).toBe(1);
    expect(cli.output()).toContain(
      "SIM_GENERATION_MS must be a whole number from 1 to 9007199254740991, got 'fast'",
    );
  });
});

describe('readCliConfig', () => {
  it('has working defaults', () => {
    expect(readCliConfig({})).toEqual({
      port: 4010,
      host: '127.0.0.1',
      apiKey: 'sim-key',
      generationMs: 20_000,
    });
  });

  it('reads every variable', () => {
    expect(
      readCliConfig({
        SIM_PORT: '5000',
        SIM_HOST: '0.0.0.0',
        SIM_API_KEY: 'k',
        SIM_GENERATION_MS: '300',
        SIM_WEBHOOK_URL: 'http://localhost:3000/api/webhooks/openai',
        SIM_WEBHOOK_SECRET: 'whsec_c2VjcmV0',
        SIM_DIALECT: 'azure',
        SIM_MODELS: 'my-sora, sora-2',
      }),
    ).toEqual({
      dialect: 'azure',
      models: ['my-sora', 'sora-2'],
      port: 5000,
      host: '0.0.0.0',
      apiKey: 'k',
      generationMs: 300,
      webhookUrl: 'http://localhost:3000/api/webhooks/openai',
      webhookSecret: 'whsec_c2VjcmV0',
    });
  });

  it.each([
    [{ SIM_PORT: '70000' }, /SIM_PORT/],
    [{ SIM_PORT: '12ab' }, /SIM_PORT/],
    [{ SIM_GENERATION_MS: '0' }, /SIM_GENERATION_MS/],
    [{ SIM_WEBHOOK_URL: 'not a url', SIM_WEBHOOK_SECRET: 'whsec_c2VjcmV0' }, /SIM_WEBHOOK_URL must be/],
    [{ SIM_WEBHOOK_URL: 'ftp://x', SIM_WEBHOOK_SECRET: 'whsec_c2VjcmV0' }, /SIM_WEBHOOK_URL must be an http/],
    [{ SIM_WEBHOOK_URL: 'http://x' }, /SIM_WEBHOOK_URL and SIM_WEBHOOK_SECRET go together/],
    [{ SIM_WEBHOOK_URL: 'http://x', SIM_WEBHOOK_SECRET: 'hunter2' }, /SIM_WEBHOOK_SECRET must be 'whsec_'/],
    [{ SIM_DIALECT: 'bedrock' }, /SIM_DIALECT must be one of openai, azure, litellm, newapi, got 'bedrock'/],
    [{ SIM_MODELS: 'sora-2,,veo-3' }, /SIM_MODELS must be model names/],
    [{ SIM_MODELS: 'my sora' }, /SIM_MODELS must be model names.*'my sora'/],
    [{ SIM_MODELS: 'a,a' }, /SIM_MODELS names the same model twice/],
  ])('rejects %o', (env, message) => {
    expect(() => readCliConfig(env)).toThrow(message);
  });
});
