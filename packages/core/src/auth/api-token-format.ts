/** Every API token starts with this, so a leaked one is recognisable (and scannable) as ours. */
export const API_TOKEN_PREFIX = 'sora_';

/** The longest token name: the api-key plugin's limit and tokens.create's, one number. */
export const API_TOKEN_NAME_MAX_LENGTH = 64;
