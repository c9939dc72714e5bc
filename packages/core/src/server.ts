// Server-side building blocks (Node only): what apps/server composes into AppServices.
export * from './auth';
export * from './blob';
export * from './events';
export * from './generations';
export * from './provider';
export * from './services';
export * from './worker';
export * from './metrics';
export * from './rate-limits/user-rate-limits';
export * from './rate-limits/user-caps';
export { internalErrorMessage } from './trpc/internal-error';
export { DATABASE_UNAVAILABLE_MESSAGE, rethrowDatabaseUnavailable } from './trpc/errors';
export * from './outgoing-webhooks';
