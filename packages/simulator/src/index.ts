export { startSimulator, type Simulator } from './simulator';
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
