export { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider';
export { classifyUpstreamError, retryAfterMs } from './upstream-errors';
export { parseUpstreamVideo } from './upstream-video';
export type * from './types';
export { createUpstreamBudget, type UpstreamBudget } from './upstream-budget';
export { withUpstreamBudget, type ProviderObserver } from './budgeted-provider';
export { withCallSignal, withDownloadSignal } from './call-signal';
export { abortableProvider } from './abortable-provider';
