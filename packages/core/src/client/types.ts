import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
// Type-only: erased at runtime, so no server code reaches a client bundle or process.
import type { AppRouter } from '../root';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export type VideoView = RouterOutputs['videos']['get'];
export type StatusView = RouterOutputs['sora']['status'];
