import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export { appRouter, createCaller, type AppRouter } from './root';
export { SSE_PING_INTERVAL_MS } from './trpc/init';
export type { AppContext, AppServices, ProviderInfo, Readiness } from './trpc/context';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
