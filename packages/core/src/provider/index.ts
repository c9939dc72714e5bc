export { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider';
export { classifyUpstreamError, retryAfterMs } from './upstream-errors';
export { parseUpstreamVideo } from './upstream-video';
export type * from './types';
export { createUpstreamBudget, tokenBatchLimit, type UpstreamBudget, type UpstreamPriority } from './upstream-budget';
export { withUpstreamBudget, type ProviderObserver } from './budgeted-provider';
export { withCallSignal, withDownloadSignal } from './call-signal';
export { abortableProvider, withCallDefaults } from './abortable-provider';
export { downloadInSlot, inSlot } from './upstream-slots';
