/** Every API token starts with this, so a leaked one is recognisable (and scannable) as ours. */
export const API_TOKEN_PREFIX = 'sora_';
