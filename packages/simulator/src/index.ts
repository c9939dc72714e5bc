export { startSimulator, type Simulator } from './simulator';
export { DIALECTS, DEFAULT_MODELS, type DialectName } from './dialects';
export { AZURE_API_VERSIONS } from './dialects/azure';
export { LITELLM_PROVIDERS, litellmProviderOf } from './dialects/litellm';
export { derivationSignature } from './derived-content';
export {
  DEFAULT_API_KEY,
  DEFAULT_GENERATION_MS,
  type SimulatorLogger,
  type SimulatorOptions,
} from './options';
export type { ChaosOptions, ChaosStats } from './chaos';
export type { RequestLogEntry } from './request-log';
export { SCENARIO_MARKERS, parseScenario, type Scenario, type ScenarioMarker } from './scenarios';
export { createSigner, type WebhookHeaders, type WebhookSigner } from './webhooks';
export type {
  CharacterObject,
  ContentVariant,
  ErrorBody,
  ServedVideoObject,
  VideoDeleted,
  VideoError,
  VideoList,
  VideoObject,
  VideoWebhookEvent,
  VideoWebhookEventType,
} from './wire';
