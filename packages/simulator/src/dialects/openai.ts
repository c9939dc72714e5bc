import { incorrectApiKey, invalidValue, missingApiKey } from '../errors';
import { bearerToken, soraBaseOf, type Dialect } from './dialect';

const SORA_NAMES = ['sora-2', 'sora-2-pro'];

/**
 * OpenAI's own API (the default): `/v1`, `Authorization: Bearer`, Sora model names (plus any configured `models`),
 * objects exactly as the openai 6.x SDK types them.
 */
export function openaiDialect(models: readonly string[] | null): Dialect {
  return {
    name: 'openai',
    prefix: '/v1',
    authenticate(headers, apiKey) {
      // Azure's `api-key` header is accepted too, so an AzureOpenAI client works against the default dialect.
      const azureKey = headers['api-key'];
      const provided = bearerToken(headers) ?? (typeof azureKey === 'string' ? azureKey : undefined);
      if (provided === undefined || provided === '') throw missingApiKey();
      if (provided !== apiKey) throw incorrectApiKey(provided);
    },
    checkQuery: () => {},
    acceptModel(model) {
      const soraBase = soraBaseOf(model);
      if (soraBase === null && !models?.includes(model))
        throw invalidValue('model', model, [...SORA_NAMES, ...(models ?? [])]);
      return { model, soraBase };
    },
    videoId: (rawId) => rawId,
    characterId: (rawId) => rawId,
    render: (video) => ({ ...video }),
    listFilter: () => () => true,
    contentVariant: (requested) => requested,
    contentHeaders: () => ({}),
  };
}
