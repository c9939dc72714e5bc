import { DIALECTS, type DialectName } from '@sora-monitor/simulator';
import { z } from 'zod';

/*
 * How to reach the video endpoint beyond its URL and key: UPSTREAM_PRESET picks defaults for a kind of endpoint, and
 * OPENAI_AUTH_HEADER / OPENAI_DEFAULT_QUERY / OPENAI_DEFAULT_HEADERS override them. Each is validated at start-up with
 * a message naming the variable; docs/UPSTREAMS.md says what to set for each endpoint.
 */

export const UPSTREAM_PRESETS = ['openai', 'azure', 'litellm', 'gateway'] as const;
export type UpstreamPreset = (typeof UPSTREAM_PRESETS)[number];

export const AUTH_HEADERS = ['authorization', 'api-key'] as const;
/** `authorization`: `Authorization: Bearer <key>`; `api-key`: `api-key: <key>` and no Authorization header at all. */
export type AuthHeader = (typeof AUTH_HEADERS)[number];

interface PresetDefaults {
  authHeader: AuthHeader;
  /** Used when OPENAI_BASE_URL is unset; null: the preset needs one. */
  baseURL: string | null;
  /** What OPENAI_BASE_URL looks like for this kind of endpoint (messages and docs). */
  baseURLForm: string;
  /** A check of the base URL's form, or null. */
  baseURLPattern: RegExp | null;
}

export const PRESET_DEFAULTS: Readonly<Record<UpstreamPreset, PresetDefaults>> = {
  openai: { authHeader: 'authorization', baseURL: 'https://api.openai.com/v1', baseURLForm: 'https://api.openai.com/v1', baseURLPattern: null },
  // Azure OpenAI's v1 API: the key in an `api-key` header, and no api-version needed (it may be sent as a query).
  azure: {
    authHeader: 'api-key',
    baseURL: null,
    baseURLForm: 'https://<resource>.openai.azure.com/openai/v1',
    baseURLPattern: /\/openai\/v1\/?$/,
  },
  litellm: { authHeader: 'authorization', baseURL: null, baseURLForm: 'http://<proxy host>:4000/v1', baseURLPattern: null },
  gateway: { authHeader: 'authorization', baseURL: null, baseURLForm: 'https://<gateway>/v1', baseURLPattern: null },
};

/** The resolved connection settings, passed to the SDK client as `defaultQuery` / `defaultHeaders`. */
export interface UpstreamConnection {
  preset: UpstreamPreset;
  authHeader: AuthHeader;
  defaultQuery: Record<string, string>;
  defaultHeaders: Record<string, string>;
}

// RFC 9110 token characters; the SDK refuses any other header name.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Credentials belong in OPENAI_API_KEY (kept out of logs), sent by OPENAI_AUTH_HEADER.
const CREDENTIAL_HEADERS = new Set(['authorization', 'api-key']);

/** One of `choices`, any case; empty means unset. */
function choiceFromEnv<const T extends readonly [string, ...string[]]>(choices: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value),
    z.enum(choices, { message: `must be one of ${choices.join(', ')}` }).optional(),
  );
}

/** `name=value&name=value`, as in a URL (e.g. `api-version=preview`). */
const defaultQuerySchema = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    const query: Record<string, string> = {};
    if (!value) return query;
    for (const pair of value.replace(/^\?/, '').split('&')) {
      if (!pair.includes('=')) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" is not name=value (write it as a URL query, e.g. api-version=preview)` });
        continue;
      }
      const params = new URLSearchParams(pair);
      const [[name, paramValue] = ['', '']] = [...params.entries()];
      if (name === '') ctx.addIssue({ code: 'custom', message: `"${pair}" has an empty name` });
      else if (name in query) ctx.addIssue({ code: 'custom', message: `${name} is given twice` });
      else query[name] = paramValue;
    }
    return query;
  });

/** A JSON object of header names to string values, e.g. {"custom-llm-provider":"azure"}. */
const defaultHeadersSchema = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    const headers: Record<string, string> = {};
    if (!value) return headers;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"custom-llm-provider":"azure"}' });
      return headers;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"custom-llm-provider":"azure"}' });
      return headers;
    }
    for (const [name, headerValue] of Object.entries(parsed)) {
      if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', message: `"${name}" is not a valid header name` });
      else if (CREDENTIAL_HEADERS.has(name.toLowerCase())) {
        ctx.addIssue({ code: 'custom', message: `${name} must not be set here: put the key in OPENAI_API_KEY and choose the header with OPENAI_AUTH_HEADER` });
      } else if (typeof headerValue !== 'string' || /[\r\n\0]/.test(headerValue)) {
        ctx.addIssue({ code: 'custom', message: `the value of ${name} must be a string on one line` });
      } else headers[name.toLowerCase()] = headerValue;
    }
    return headers;
  });

/** The environment variables of the connection; spread into the server's env schema. */
export const upstreamEnvShape = {
  UPSTREAM_PRESET: choiceFromEnv(UPSTREAM_PRESETS),
  OPENAI_AUTH_HEADER: choiceFromEnv(AUTH_HEADERS),
  OPENAI_DEFAULT_QUERY: defaultQuerySchema,
  OPENAI_DEFAULT_HEADERS: defaultHeadersSchema,
  /** The built-in simulator's dialect (used only without OPENAI_API_KEY). */
  SIM_DIALECT: choiceFromEnv(DIALECTS),
};

type UpstreamEnv = z.infer<z.ZodObject<typeof upstreamEnvShape>> & { OPENAI_API_KEY?: string | undefined; OPENAI_BASE_URL?: string | undefined };

const CONNECTION_VARIABLES = ['UPSTREAM_PRESET', 'OPENAI_AUTH_HEADER', 'OPENAI_DEFAULT_QUERY', 'OPENAI_DEFAULT_HEADERS'] as const;

/**
 * The connection settings with the preset's defaults applied, or the problems found across variables (each naming
 * the variable): a preset that needs a base URL without one, a base URL of the wrong form, settings for a real
 * endpoint without its key.
 */
export function resolveUpstreamConnection(env: UpstreamEnv): { connection: UpstreamConnection; problems: string[] } {
  const preset = env.UPSTREAM_PRESET ?? 'openai';
  const defaults = PRESET_DEFAULTS[preset];
  const problems: string[] = [];
  if (!env.OPENAI_API_KEY) {
    // The query and headers parse to {} when unset.
    const isSet = (value: unknown) => value !== undefined && !(typeof value === 'object' && value !== null && Object.keys(value).length === 0);
    const set = CONNECTION_VARIABLES.filter((name) => isSet(env[name]));
    if (set.length > 0) {
      problems.push(`${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set but OPENAI_API_KEY is not: they configure a real endpoint (the built-in simulator needs none)`);
    }
  } else if (env.SIM_DIALECT) {
    problems.push(`SIM_DIALECT is set but so is OPENAI_API_KEY: SIM_DIALECT picks the built-in simulator's dialect, which runs only without a key (use UPSTREAM_PRESET for a real endpoint)`);
  } else if (!env.OPENAI_BASE_URL && defaults.baseURL === null) {
    problems.push(`OPENAI_BASE_URL is required with UPSTREAM_PRESET=${preset}: set it to ${defaults.baseURLForm}`);
  } else if (env.OPENAI_BASE_URL && defaults.baseURLPattern && !defaults.baseURLPattern.test(new URL(env.OPENAI_BASE_URL).pathname)) {
    problems.push(`OPENAI_BASE_URL=${JSON.stringify(env.OPENAI_BASE_URL)}: with UPSTREAM_PRESET=${preset} it must look like ${defaults.baseURLForm}`);
  }
  return {
    connection: {
      preset,
      authHeader: env.OPENAI_AUTH_HEADER ?? defaults.authHeader,
      defaultQuery: env.OPENAI_DEFAULT_QUERY,
      defaultHeaders: env.OPENAI_DEFAULT_HEADERS,
    },
    problems,
  };
}

/**
 * How the server reaches its built-in simulator in `dialect`: the same settings a user of that upstream would set
 * (docs/UPSTREAMS.md), so the embedded simulator exercises them. LiteLLM lists only the provider its
 * `custom-llm-provider` header names; the catalog's Sora names are served by its `openai` provider.
 */
export function simulatorConnection(dialect: DialectName): UpstreamConnection {
  switch (dialect) {
    case 'openai':
      return { preset: 'openai', authHeader: 'authorization', defaultQuery: {}, defaultHeaders: {} };
    case 'azure':
      return { preset: 'azure', authHeader: 'api-key', defaultQuery: {}, defaultHeaders: {} };
    case 'litellm':
      return { preset: 'litellm', authHeader: 'authorization', defaultQuery: {}, defaultHeaders: { 'custom-llm-provider': 'openai' } };
    case 'newapi':
      return { preset: 'gateway', authHeader: 'authorization', defaultQuery: {}, defaultHeaders: {} };
  }
}

/** The SDK client options for a key and connection: the key in the chosen header, and never in another one. */
export function sdkConnectionOptions(apiKey: string, connection: UpstreamConnection) {
  const auth = connection.authHeader === 'api-key' ? { 'api-key': apiKey, Authorization: null } : {};
  return {
    apiKey,
    defaultHeaders: { ...connection.defaultHeaders, ...auth },
    ...(Object.keys(connection.defaultQuery).length > 0 ? { defaultQuery: connection.defaultQuery } : {}),
  };
}
