import { azureDialect } from './azure';
import type { Dialect, DialectName } from './dialect';
import { litellmDialect } from './litellm';
import { newapiDialect } from './newapi';
import { openaiDialect } from './openai';

export { DIALECTS, type Dialect, type DialectName } from './dialect';

/** Azure deployments and LiteLLM aliases when none are configured. */
export const DEFAULT_MODELS: Readonly<Record<DialectName, readonly string[] | null>> = {
  openai: null,
  azure: ['sora-2'],
  litellm: ['sora-2', 'sora-2-pro', 'veo-3', 'runway-gen4'],
  newapi: null,
};

/** The dialect by name; `models` (deployments, aliases, extra names) replaces its default list when given. */
export function createDialect(name: DialectName, models: readonly string[] | null): Dialect {
  const names = models ?? DEFAULT_MODELS[name];
  switch (name) {
    case 'openai':
      return openaiDialect(names);
    case 'azure':
      return azureDialect(names ?? []);
    case 'litellm':
      return litellmDialect(names ?? []);
    case 'newapi':
      return newapiDialect(names);
  }
}
