import { DEFAULT_DELIVERY_RETRY_POLICY, type DeliveryRetryPolicy } from '../domain';
import { PUBLIC_ONLY, type PrivateAddressPolicy } from './address-policy';

export interface OutgoingWebhookSettings {
  /** Which addresses endpoints may point at (WEBHOOK_ALLOW_PRIVATE). */
  addressPolicy: PrivateAddressPolicy;
  retry: Omit<DeliveryRetryPolicy, 'random'>;
  /** The longest one try may take, connection to last byte read. */
  timeoutMs: number;
  /** How long a worker holds a claimed delivery: well beyond one try, so only a dead worker's lease runs out. */
  leaseMs: number;
  /** How often the worker looks for due deliveries when nothing rang. */
  tickMs: number;
  /** Deliveries claimed and sent at once by one worker. */
  concurrency: number;
}

export const DEFAULT_OUTGOING_WEBHOOK_SETTINGS: OutgoingWebhookSettings = {
  addressPolicy: PUBLIC_ONLY,
  retry: DEFAULT_DELIVERY_RETRY_POLICY,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  tickMs: 1_000,
  concurrency: 8,
};

/** The most endpoints one account may register (each change fans out to all of them). */
export const MAX_WEBHOOK_ENDPOINTS_PER_USER = 10;
