import type { AppRouter } from '@sora-monitor/core';
import { createTRPCReact } from '@trpc/react-query';

// Only the router's type crosses into the browser bundle; no server code does.
export const trpc = createTRPCReact<AppRouter>();
