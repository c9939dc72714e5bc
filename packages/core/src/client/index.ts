// The typed client other workspace apps (the CLI first) use to call the server. Only the router's TYPE comes from the
// server side: this module and everything it imports at runtime is client code (tRPC client, eventsource).
export {
  createSoraMonitorClient,
  normalizeBaseUrl,
  type SoraMonitorClient,
  type SoraMonitorClientOptions,
} from './create-client';
export { fetchVideoContent, type FetchVideoContentOptions } from './content';
export { describeClientError, type ClientErrorInfo, type ClientErrorKind } from './errors';
export type { AppRouter, RouterInputs, RouterOutputs, StatusView, VideoView } from './types';
export { TRPCClientError } from '@trpc/client';
