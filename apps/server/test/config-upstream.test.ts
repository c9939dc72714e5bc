import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

/* Connection presets and settings, the model catalog and unknown prices: each bad value stops start-up naming it. */

const KEY = { OPENAI_API_KEY: 'sk-test' };
const AZURE_URL = 'https://contoso.openai.azure.com/openai/v1';

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`loadConfig(${JSON.stringify(env)}) did not refuse`);
}

const dir = mkdtempSync(path.join(tmpdir(), 'sora-catalog-'));
function catalogFile(content: unknown): string {
  const file = path.join(dir, `models-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('connection presets and settings', () => {
  it('defaults to OpenAI: Authorization: Bearer, no extra query or headers', () => {
    expect(loadConfig(KEY).upstream).toEqual({ preset: 'openai', authHeader: 'authorization', defaultQuery: {}, defaultHeaders: {} });
  });

  it('azure sends the key in api-key; litellm and gateway use a bearer token', () => {
    expect(loadConfig({ ...KEY, UPSTREAM_PRESET: 'azure', OPENAI_BASE_URL: AZURE_URL }).upstream.authHeader).toBe('api-key');
    expect(loadConfig({ ...KEY, UPSTREAM_PRESET: 'AZURE', OPENAI_BASE_URL: `${AZURE_URL}/` }).upstream.preset).toBe('azure');
    for (const preset of ['litellm', 'gateway']) {
      expect(loadConfig({ ...KEY, UPSTREAM_PRESET: preset, OPENAI_BASE_URL: 'http://proxy:4000/v1' }).upstream.authHeader).toBe('authorization');
    }
  });

  it('explicit settings override the preset', () => {
    const config = loadConfig({
      ...KEY,
      UPSTREAM_PRESET: 'gateway',
      OPENAI_BASE_URL: 'https://gateway.example/v1',
      OPENAI_AUTH_HEADER: 'API-Key',
      OPENAI_DEFAULT_QUERY: 'api-version=preview&tenant=a%20b',
      OPENAI_DEFAULT_HEADERS: '{"custom-llm-provider":"azure","X-Team":"video"}',
    });
    expect(config.upstream).toEqual({
      preset: 'gateway',
      authHeader: 'api-key',
      defaultQuery: { 'api-version': 'preview', tenant: 'a b' },
      defaultHeaders: { 'custom-llm-provider': 'azure', 'x-team': 'video' },
    });
  });

  it.each([
    ['UPSTREAM_PRESET', { UPSTREAM_PRESET: 'bedrock' }, 'must be one of openai, azure, litellm, gateway'],
    ['OPENAI_AUTH_HEADER', { OPENAI_AUTH_HEADER: 'x-api-key' }, 'must be one of authorization, api-key'],
    ['OPENAI_DEFAULT_QUERY', { OPENAI_DEFAULT_QUERY: 'api-version' }, '"api-version" is not name=value'],
    ['OPENAI_DEFAULT_QUERY', { OPENAI_DEFAULT_QUERY: '=preview' }, 'has an empty name'],
    ['OPENAI_DEFAULT_QUERY', { OPENAI_DEFAULT_QUERY: 'a=1&a=2' }, 'a is given twice'],
    ['OPENAI_DEFAULT_HEADERS', { OPENAI_DEFAULT_HEADERS: 'custom-llm-provider: azure' }, 'must be a JSON object'],
    ['OPENAI_DEFAULT_HEADERS', { OPENAI_DEFAULT_HEADERS: '["a"]' }, 'must be a JSON object'],
    ['OPENAI_DEFAULT_HEADERS', { OPENAI_DEFAULT_HEADERS: '{"bad header":"x"}' }, '"bad header" is not a valid header name'],
    ['OPENAI_DEFAULT_HEADERS', { OPENAI_DEFAULT_HEADERS: '{"x-n":1}' }, 'the value of x-n must be a string on one line'],
    ['OPENAI_DEFAULT_HEADERS', { OPENAI_DEFAULT_HEADERS: '{"x-n":"a\\r\\nb"}' }, 'the value of x-n must be a string on one line'],
    ['OPENAI_DEFAULT_HEADERS', { OPENAI_DEFAULT_HEADERS: '{"Authorization":"Bearer x"}' }, 'put the key in OPENAI_API_KEY'],
    ['OPENAI_DEFAULT_HEADERS', { OPENAI_DEFAULT_HEADERS: '{"api-key":"x"}' }, 'put the key in OPENAI_API_KEY'],
  ])('refuses a bad %s, naming it', (name, env, expected) => {
    const message = refusal({ ...KEY, ...env } as Record<string, string>);
    expect(message).toContain(`${name}=`);
    expect(message).toContain(expected);
  });

  it('refuses a preset without the base URL it needs, or an Azure URL of the wrong form', () => {
    expect(refusal({ ...KEY, UPSTREAM_PRESET: 'azure' })).toContain(
      'OPENAI_BASE_URL is required with UPSTREAM_PRESET=azure: set it to https://<resource>.openai.azure.com/openai/v1',
    );
    expect(refusal({ ...KEY, UPSTREAM_PRESET: 'litellm' })).toContain('OPENAI_BASE_URL is required with UPSTREAM_PRESET=litellm');
    expect(refusal({ ...KEY, UPSTREAM_PRESET: 'gateway' })).toContain('OPENAI_BASE_URL is required with UPSTREAM_PRESET=gateway');
    expect(refusal({ ...KEY, UPSTREAM_PRESET: 'azure', OPENAI_BASE_URL: 'https://contoso.openai.azure.com/' })).toContain(
      'OPENAI_BASE_URL="https://contoso.openai.azure.com/": with UPSTREAM_PRESET=azure it must look like https://<resource>.openai.azure.com/openai/v1',
    );
  });

  it('refuses connection settings without an API key (the simulator needs none), naming each', () => {
    expect(refusal({ UPSTREAM_PRESET: 'litellm', OPENAI_DEFAULT_HEADERS: '{"custom-llm-provider":"azure"}' })).toContain(
      'UPSTREAM_PRESET, OPENAI_DEFAULT_HEADERS are set but OPENAI_API_KEY is not',
    );
    // Empty values are unset, as everywhere else.
    expect(loadConfig({ UPSTREAM_PRESET: '', OPENAI_AUTH_HEADER: ' ', OPENAI_DEFAULT_QUERY: '', OPENAI_DEFAULT_HEADERS: '' }).upstream.preset).toBe('openai');
  });
});

describe('SIM_DIALECT: the built-in simulator in the dialect of a real upstream', () => {
  it('is openai by default and takes any dialect, any case', () => {
    expect(loadConfig({}).simulatorDialect).toBe('openai');
    for (const dialect of ['azure', 'litellm', 'newapi', 'openai']) {
      expect(loadConfig({ SIM_DIALECT: ` ${dialect.toUpperCase()} ` }).simulatorDialect).toBe(dialect);
    }
    expect(loadConfig({ SIM_DIALECT: '' }).simulatorDialect).toBe('openai');
  });

  it('refuses an unknown dialect, naming the variable and the choices', () => {
    const message = refusal({ SIM_DIALECT: 'bedrock' });
    expect(message).toContain('SIM_DIALECT="bedrock"');
    expect(message).toContain('must be one of openai, azure, litellm, newapi');
  });

  it('refuses SIM_DIALECT together with an API key: the simulator runs only without one', () => {
    expect(refusal({ ...KEY, SIM_DIALECT: 'litellm' })).toContain('SIM_DIALECT is set but so is OPENAI_API_KEY');
  });
});

describe('the model catalog', () => {
  it('is the built-in sora-2 and sora-2-pro by default', () => {
    expect(loadConfig({}).catalog.models.map((model) => model.name)).toEqual(['sora-2', 'sora-2-pro']);
    expect(loadConfig({}).unknownPriceUsdPerSecond).toBeNull();
  });

  it('VIDEO_MODELS lists models sent as is, unpriced unless built in', () => {
    const { models } = loadConfig({ VIDEO_MODELS: ' my-sora-deployment , sora-2-pro,gemini/veo-3 ' }).catalog;
    expect(models.map((model) => [model.name, model.centsPerSecond === null])).toEqual([
      ['my-sora-deployment', true],
      ['sora-2-pro', false],
      ['gemini/veo-3', true],
    ]);
    expect(models[0]).toMatchObject({ sizes: ['720x1280', '1280x720'], seconds: [4, 8, 12] });
  });

  it('MODEL_CATALOG reads the full form, then VIDEO_MODELS adds to it', () => {
    const file = catalogFile({
      models: [
        { name: 'veo-3', label: 'Veo 3', description: 'Google Veo through LiteLLM', sizes: ['1280x720', '720x1280'], seconds: [8], pricePerSecondUsd: 0.4 },
        { name: 'runway-gen4', sizes: ['1280x720'], seconds: [5, 10], pricePerSecondUsd: { '1280x720': 0.035 }, operations: { remix: true } },
        { name: 'mystery', sizes: ['1280x720'], seconds: [4], pricePerSecondUsd: null },
      ],
    });
    const config = loadConfig({ MODEL_CATALOG: file, VIDEO_MODELS: 'sora-2', UNKNOWN_PRICE_PER_SECOND_USD: '0.25' });
    expect(config.catalog.models).toEqual([
      {
        name: 'veo-3',
        label: 'Veo 3',
        description: 'Google Veo through LiteLLM',
        sizes: ['1280x720', '720x1280'],
        seconds: [8],
        centsPerSecond: { '1280x720': 40, '720x1280': 40 },
        operations: { remix: false, extend: false, edit: false },
      },
      {
        name: 'runway-gen4',
        label: 'runway-gen4',
        description: null,
        sizes: ['1280x720'],
        seconds: [5, 10],
        centsPerSecond: { '1280x720': 3.5 },
        operations: { remix: true, extend: false, edit: false },
      },
      expect.objectContaining({ name: 'mystery', centsPerSecond: null }),
      expect.objectContaining({ name: 'sora-2', centsPerSecond: { '720x1280': 10, '1280x720': 10 } }),
    ]);
    expect(config.unknownPriceUsdPerSecond).toBe(0.25);
  });

  it.each([
    ['a missing file', () => path.join(dir, 'nope.json'), 'cannot read the file (ENOENT)'],
    ['a file that is not JSON', () => catalogFile('{ models: '), 'not valid JSON'],
    ['no models', () => catalogFile({ models: [] }), 'models: must list at least one model'],
    ['an unknown key', () => catalogFile({ models: [{ name: 'a', sizes: ['1280x720'], seconds: [4], price: 1 }] }), 'models[0] ("a"): Unrecognized key: "price"'],
    ['a bad size', () => catalogFile({ models: [{ name: 'veo-3', sizes: ['1280x720', 'hd'], seconds: [8] }] }), 'models[0] ("veo-3").sizes[1]: must be WIDTHxHEIGHT such as 1280x720'],
    ['bad seconds', () => catalogFile({ models: [{ name: 'veo-3', sizes: ['1280x720'], seconds: [7.5] }] }), 'models[0] ("veo-3").seconds[0]: must be whole seconds'],
    ['a negative price', () => catalogFile({ models: [{ name: 'veo-3', sizes: ['1280x720'], seconds: [8], pricePerSecondUsd: -1 }] }), 'models[0] ("veo-3").pricePerSecondUsd: must not be negative'],
    [
      'a price for a size it does not list',
      () => catalogFile({ models: [{ name: 'veo-3', sizes: ['1280x720'], seconds: [8], pricePerSecondUsd: { '720x1280': 0.4 } }] }),
      'models[0] ("veo-3").pricePerSecondUsd.720x1280: prices a size the model does not list (1280x720)',
    ],
    ['a missing name', () => catalogFile({ models: [{ sizes: ['1280x720'], seconds: [8] }, { name: 'b', sizes: [], seconds: [8] }] }), 'models[0].name'],
    ['a name listed twice', () => catalogFile({ models: [{ name: 'a', sizes: ['1280x720'], seconds: [4] }, { name: 'a', sizes: ['1280x720'], seconds: [4] }] }), 'lists a twice'],
  ])('refuses %s, naming the file, the entry and the field', (_name, file, expected) => {
    const path = file();
    const message = refusal({ MODEL_CATALOG: path });
    expect(message).toContain(`MODEL_CATALOG="${path}"`);
    expect(message).toContain(expected);
  });

  it.each([
    [{ VIDEO_MODELS: 'a,,b' }, 'VIDEO_MODELS=', '"" must not be empty'],
    [{ VIDEO_MODELS: 'my model' }, 'VIDEO_MODELS=', 'must not contain spaces'],
    [{ VIDEO_MODELS: 'a,b,a' }, 'VIDEO_MODELS lists a twice', ''],
    [{ UNKNOWN_PRICE_PER_SECOND_USD: '-1' }, 'UNKNOWN_PRICE_PER_SECOND_USD=', 'must be US dollars per second'],
    [{ UNKNOWN_PRICE_PER_SECOND_USD: 'free' }, 'UNKNOWN_PRICE_PER_SECOND_USD=', 'must be US dollars per second'],
  ])('refuses %j, naming the variable', (env, name, expected) => {
    const message = refusal(env as Record<string, string>);
    expect(message).toContain(name);
    expect(message).toContain(expected);
  });

  it('refuses a name both MODEL_CATALOG and VIDEO_MODELS list', () => {
    const file = catalogFile({ models: [{ name: 'veo-3', sizes: ['1280x720'], seconds: [8] }] });
    expect(refusal({ MODEL_CATALOG: file, VIDEO_MODELS: 'veo-3' })).toContain('MODEL_CATALOG and VIDEO_MODELS list veo-3 twice');
  });
});
