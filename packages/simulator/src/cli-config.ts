import { resolveChaos, type ChaosOptions } from './chaos';
import { DIALECTS, type DialectName } from './dialects';
import { DEFAULT_API_KEY, DEFAULT_GENERATION_MS, DEFAULT_HOST, type SimulatorOptions } from './options';

export const DEFAULT_CLI_PORT = 4010;

export class CliConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliConfigError';
  }
}

/**
 * The standalone simulator's settings from its environment, validated once: a bad value is an error naming the
 * variable, never a silent default.
 */
export function readCliConfig(env: NodeJS.ProcessEnv): SimulatorOptions {
  const port = integerVar(env, 'SIM_PORT', DEFAULT_CLI_PORT, 0, 65_535);
  const generationMs = integerVar(
    env,
    'SIM_GENERATION_MS',
    DEFAULT_GENERATION_MS,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const host = nonEmpty(env, 'SIM_HOST') ?? DEFAULT_HOST;
  const apiKey = nonEmpty(env, 'SIM_API_KEY') ?? DEFAULT_API_KEY;
  const webhookUrl = nonEmpty(env, 'SIM_WEBHOOK_URL');
  const webhookSecret = nonEmpty(env, 'SIM_WEBHOOK_SECRET');
  if (webhookUrl !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(webhookUrl);
    } catch {
      throw new CliConfigError(`SIM_WEBHOOK_URL must be an absolute http(s) URL, got '${webhookUrl}'`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new CliConfigError(`SIM_WEBHOOK_URL must be an http(s) URL, got '${webhookUrl}'`);
    }
  }
  if ((webhookUrl === undefined) !== (webhookSecret === undefined)) {
    throw new CliConfigError(
      'SIM_WEBHOOK_URL and SIM_WEBHOOK_SECRET go together: set both to send webhooks, or neither',
    );
  }
  if (webhookSecret !== undefined && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(webhookSecret)) {
    throw new CliConfigError("SIM_WEBHOOK_SECRET must be 'whsec_' followed by base64");
  }
  const chaos = chaosVar(env);
  const dialect = nonEmpty(env, 'SIM_DIALECT');
  if (dialect !== undefined && !(DIALECTS as readonly string[]).includes(dialect)) {
    throw new CliConfigError(`SIM_DIALECT must be one of ${DIALECTS.join(', ')}, got '${dialect}'`);
  }
  const models = modelsVar(env);
  return {
    ...(dialect ? { dialect: dialect as DialectName } : {}),
    ...(models ? { models } : {}),
    port,
    host,
    apiKey,
    generationMs,
    ...(webhookUrl && webhookSecret ? { webhookUrl, webhookSecret } : {}),
    ...(chaos ? { chaos } : {}),
  };
}

const CHAOS_NUMBER_KEYS = [
  'unavailableRate',
  'rateLimitBurstEvery',
  'rateLimitBurstLength',
  'latencySpikeRate',
  'latencySpikeMs',
  'malformedJsonRate',
  'resetDownloadRate',
  'seed',
] as const;

/** SIM_CHAOS='unavailableRate=0.3,malformedJsonRate=0.1,seed=7': the `chaos` option as one variable. */
function chaosVar(env: NodeJS.ProcessEnv): ChaosOptions | undefined {
  const raw = nonEmpty(env, 'SIM_CHAOS');
  if (raw === undefined) return undefined;
  const chaos: Record<string, number | boolean> = {};
  for (const pair of raw.split(',')) {
    const [key = '', value = '', ...rest] = pair.split('=').map((part) => part.trim());
    if (key === 'faultCreates' && (value === 'true' || value === 'false') && rest.length === 0) {
      chaos[key] = value === 'true';
    } else if ((CHAOS_NUMBER_KEYS as readonly string[]).includes(key) && value !== '' && rest.length === 0) {
      chaos[key] = Number(value);
    } else {
      throw new CliConfigError(
        `SIM_CHAOS must be key=value pairs separated by commas (keys: ${CHAOS_NUMBER_KEYS.join(', ')}, faultCreates=true|false), got '${pair}'`,
      );
    }
  }
  try {
    resolveChaos(chaos); // validated here so a bad value names the variable
  } catch (error) {
    throw new CliConfigError(`SIM_CHAOS: ${(error as Error).message}`);
  }
  return chaos;
}

/** SIM_MODELS='my-sora,sora-2': Azure deployment names, LiteLLM aliases, or extra names for openai/newapi. */
function modelsVar(env: NodeJS.ProcessEnv): string[] | undefined {
  const raw = nonEmpty(env, 'SIM_MODELS');
  if (raw === undefined) return undefined;
  const models = raw.split(',').map((name) => name.trim());
  const bad = models.find((name) => !/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(name));
  if (bad !== undefined) {
    throw new CliConfigError(
      `SIM_MODELS must be model names separated by commas (letters, digits, . _ : / -), got '${bad}' in '${raw}'`,
    );
  }
  if (new Set(models).size !== models.length)
    throw new CliConfigError(`SIM_MODELS names the same model twice: '${raw}'`);
  return models;
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integerVar(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliConfigError(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}
