export { createAuth, type Auth, type CreateAuthOptions, type RateLimitRule } from './create-auth';
export type { AuthLogger } from './auth-logger';
export {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiTokenSummary,
  type CreatedApiToken,
} from './api-tokens';
export { resolveRequestUser, type RequestUser } from './resolve-request-user';
export { createSharedUserRecheck } from './shared-recheck';
export { API_TOKEN_NAME_MAX_LENGTH, API_TOKEN_PREFIX } from './api-token-format';
export { toFetchHeaders } from './request-headers';
