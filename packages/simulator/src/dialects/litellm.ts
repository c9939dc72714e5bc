import { ApiError } from '../errors';
import { bearerToken, soraBaseOf, type Dialect } from './dialect';

/** The providers LiteLLM's proxy fronts for video (a `provider/model` alias names its own). */
export const LITELLM_PROVIDERS = ['openai', 'azure', 'gemini', 'vertex_ai', 'runwayml'];

/** Which backend an alias routes to: `azure/sora-2` says so; otherwise by family (sora → openai, veo → gemini…). */
export function litellmProviderOf(model: string): string {
  const prefix = model.split('/', 1)[0] ?? '';
  if (model.includes('/') && LITELLM_PROVIDERS.includes(prefix)) return prefix;
  if (model.startsWith('veo')) return 'gemini';
  if (model.startsWith('runway')) return 'runwayml';
  return 'openai';
}

/** LiteLLM's proxy errors: OpenAI's shape with the HTTP status, as a string, in `code`. */
function litellmError(status: number, message: string, type: string, param: string | null): ApiError {
  return new ApiError(status, message, type, param, String(status));
}

/** base64 of `litellm:custom_llm_provider:P;model_id:M;<kind>_id:RAW`, as litellm/types/videos/utils.py builds it. */
function managedId(prefix: string, kind: string, provider: string, model: string, rawId: string): string {
  const assembled = `litellm:custom_llm_provider:${provider};model_id:${model};${kind}_id:${rawId}`;
  return `${prefix}${Buffer.from(assembled, 'utf8').toString('base64')}`;
}

/**
 * LiteLLM's proxy (BerriAI/litellm, litellm/proxy/video_endpoints/endpoints.py): `/v1/videos` with bearer auth, model
 * aliases, ids that encode the provider, a content route that ignores `variant`, and a list that must be told which
 * provider to list.
 */
export function litellmDialect(aliases: readonly string[]): Dialect {
  return {
    name: 'litellm',
    prefix: '/v1',
    authenticate(headers, apiKey) {
      const provided = bearerToken(headers);
      if (provided === undefined || provided === '' || provided !== apiKey) {
        throw litellmError(
          401,
          'Authentication Error, Invalid proxy server token passed. Received API Key = ' +
            `${provided === undefined ? 'None' : 'sk-...' + provided.slice(-4)}, Key Hash (Token) = None. Unable to find token in cache or LiteLLM_VerificationTokenTable`,
          'auth_error',
          'None',
        );
      }
    },
    checkQuery: () => {},
    acceptModel(model) {
      if (!aliases.includes(model)) {
        throw litellmError(
          400,
          `/v1/videos: Invalid model name passed in model=${model}. Call \`/v1/models\` to view available models for your key.`,
          'invalid_request_error',
          'model',
        );
      }
      return { model, soraBase: soraBaseOf(model.split('/').at(-1) ?? model) };
    },
    videoId: (rawId, model) => managedId('video_', 'video', litellmProviderOf(model), model, rawId),
    characterId: (rawId) => managedId('character_', 'character', 'openai', '', rawId),
    render: (video) => ({ ...video }),
    listFilter({ headers, query }) {
      const header = headers['custom-llm-provider'];
      const fromQuery = query.custom_llm_provider;
      const provider =
        typeof header === 'string' && header !== ''
          ? header
          : typeof fromQuery === 'string' && fromQuery !== ''
            ? fromQuery
            : undefined;
      if (provider === undefined) {
        throw litellmError(
          400,
          'GET /v1/videos lists one provider at a time: send the `custom-llm-provider` header or the `custom_llm_provider` query parameter (one of ' +
            `${LITELLM_PROVIDERS.join(', ')}).`,
          'invalid_request_error',
          'custom_llm_provider',
        );
      }
      if (!LITELLM_PROVIDERS.includes(provider)) {
        throw litellmError(
          400,
          `Unsupported custom_llm_provider '${provider}' for video list; expected one of ${LITELLM_PROVIDERS.join(', ')}.`,
          'invalid_request_error',
          'custom_llm_provider',
        );
      }
      return (job) => litellmProviderOf(job.model) === provider;
    },
    // The proxy calls the provider's content endpoint without the variant and answers the bytes as video/mp4.
    contentVariant: () => 'video',
    contentHeaders: (videoId) => ({ 'content-disposition': `attachment; filename=video_${videoId}.mp4` }),
  };
}
