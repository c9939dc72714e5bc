import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new endpoint secret in the Standard Webhooks format: `whsec_` and 24 random bytes in base64. */
export function generateEndpointSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The Standard Webhooks id of a delivery: the same on every try, so a receiver can drop a repeat. */
export function webhookMessageId(deliveryId: string): string {
  return `msg_${deliveryId}`;
}

/** The headers that let the receiver verify `payload` with the endpoint's secret (`standardwebhooks` signs). */
export function signedHeaders(args: { secret: string; deliveryId: string; payload: string; now: Date }): Record<string, string> {
  const id = webhookMessageId(args.deliveryId);
  return {
    'content-type': 'application/json',
    'user-agent': 'SoraMonitor-Webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(args.now.getTime() / 1000)),
    'webhook-signature': new Webhook(args.secret).sign(id, args.now, args.payload),
  };
}
