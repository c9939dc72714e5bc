import { meRouter } from './routers/me';
import { soraRouter } from './routers/sora';
import { systemRouter } from './routers/system';
import { tokensRouter } from './routers/tokens';
import { videosRouter } from './routers/videos';
import { createCallerFactory, router } from './trpc/init';

export const appRouter = router({
  system: systemRouter,
  me: meRouter,
  videos: videosRouter,
  sora: soraRouter,
  tokens: tokensRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
