import { meRouter } from './routers/me';
import { soraRouter } from './routers/sora';
import { systemRouter } from './routers/system';
import { tokensRouter } from './routers/tokens';
import { usageRouter } from './routers/usage';
import { videosRouter } from './routers/videos';
import { webhooksRouter } from './routers/webhooks';
import { createCallerFactory, router } from './trpc/init';

export const appRouter = router({
  system: systemRouter,
  me: meRouter,
  videos: videosRouter,
  sora: soraRouter,
  tokens: tokensRouter,
  usage: usageRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
