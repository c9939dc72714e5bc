export { addressVerdict, ALLOW_PRIVATE_VARIABLE, parsePrivateAddressPolicy, PUBLIC_ONLY, type PrivateAddressPolicy } from './address-policy';
export { checkWebhookUrl, resolveWithSystem, WEBHOOK_URL_MAX_LENGTH, type ResolveHost } from './url-check';
export { sendWebhook, type WebhookRequest } from './send';
export { generateEndpointSecret, signedHeaders, webhookMessageId } from './sign';
export { DEFAULT_OUTGOING_WEBHOOK_SETTINGS, MAX_WEBHOOK_ENDPOINTS_PER_USER, type OutgoingWebhookSettings } from './settings';
export { createWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherDeps } from './dispatcher';
