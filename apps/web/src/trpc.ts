import type { AppRouter } from '@sora-monitor/core';
import { createTRPCReact } from '@trpc/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

// Only the router's type crosses into the browser bundle; no server code does.
export const trpc = createTRPCReact<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export type VideoView = RouterOutputs['videos']['get'];
export type StatusView = RouterOutputs['sora']['status'];
export type History = RouterOutputs['sora']['history'];
export type AttemptView = History['attempts'][number];
export type EventView = History['events'][number];
export type GenerationStatus = StatusView['status'];
