import { OUTGOING_WEBHOOK_EVENT_LABELS, OUTGOING_WEBHOOK_EVENTS, type OutgoingWebhookEvent } from '@sora-monitor/core/domain';
import { useId, useState, type FormEvent } from 'react';
import { EndpointCard } from '../components/webhooks/EndpointCard';
import { errorMessage, fieldErrors } from '../lib/errors';
import { useDocumentTitle } from '../lib/use-document-title';
import { trpc } from '../trpc';

/** Outgoing webhooks: endpoints told about your videos, each signed with its own secret (shown once). */
export function WebhooksPage() {
  useDocumentTitle('Webhooks');
  const utils = trpc.useUtils();
  const endpoints = trpc.webhooks.list.useQuery();
  const create = trpc.webhooks.create.useMutation({ onSuccess: () => utils.webhooks.list.invalidate() });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<OutgoingWebhookEvent[]>(['video.completed', 'video.failed']);
  const ids = { url: useId(), urlError: useId(), events: useId(), eventsError: useId() };
  const errors = create.error ? fieldErrors(create.error) : {};
  const urlError = errors.url?.[0];
  const eventsError = errors.events?.[0];

  const toggle = (event: OutgoingWebhookEvent, on: boolean) =>
    setEvents((current) => (on ? OUTGOING_WEBHOOK_EVENTS.filter((item) => item === event || current.includes(item)) : current.filter((item) => item !== event)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ url, events }, { onSuccess: () => setUrl('') });
  };

  return (
    <div className="page narrow">
      <h1>Webhooks</h1>
      <p className="muted">
        Your server is told when your videos complete, fail, get stuck or are retried: a signed <code>POST</code> following{' '}
        <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> (<code>webhook-id</code>, <code>webhook-timestamp</code>,{' '}
        <code>webhook-signature</code>). Failed deliveries are tried again with growing delays for up to a day.
      </p>

      <section className="panel" aria-labelledby="new-webhook-title">
        <h2 id="new-webhook-title">Add an endpoint</h2>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={ids.url}>URL</label>
            <input
              id={ids.url}
              type="url"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
              placeholder="https://example.com/hooks/sora"
              aria-invalid={urlError ? true : undefined}
              aria-describedby={urlError ? ids.urlError : undefined}
            />
            {urlError ? (
              <p className="field-error" id={ids.urlError}>
                {urlError}
              </p>
            ) : null}
          </div>
          <fieldset className="field" aria-describedby={eventsError ? ids.eventsError : undefined}>
            <legend>Events</legend>
            {OUTGOING_WEBHOOK_EVENTS.map((event) => (
              <label key={event} className="checkbox">
                <input type="checkbox" checked={events.includes(event)} onChange={(change) => toggle(event, change.target.checked)} />{' '}
                {OUTGOING_WEBHOOK_EVENT_LABELS[event]} <code>{event}</code>
              </label>
            ))}
            {eventsError ? (
              <p className="field-error" id={ids.eventsError}>
                {eventsError}
              </p>
            ) : null}
          </fieldset>
          <p>
            <button type="submit" className="button button-primary" disabled={create.isPending}>
              Add endpoint
            </button>
          </p>
        </form>
        {create.error && !urlError && !eventsError ? <p role="alert">{errorMessage(create.error)}</p> : null}
        {create.data ? (
          <div role="status" data-testid="new-webhook-secret">
            <p>
              <strong>Copy this signing secret now; it is not shown again.</strong> Verify each delivery with it (any Standard Webhooks
              library does).
            </p>
            <p>
              <code data-testid="webhook-secret">{create.data.secret}</code>{' '}
              <button type="button" className="button button-small" onClick={() => void navigator.clipboard?.writeText(create.data.secret)}>
                Copy
              </button>
            </p>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Your endpoints</h2>
        {endpoints.isPending ? <p aria-busy="true">Loading…</p> : null}
        {endpoints.error ? <p role="alert">{errorMessage(endpoints.error)}</p> : null}
        {endpoints.data && endpoints.data.length === 0 ? <p className="muted">No endpoints yet.</p> : null}
        {endpoints.data && endpoints.data.length > 0 ? (
          <ul className="webhook-list">
            {endpoints.data.map((endpoint) => (
              <EndpointCard key={endpoint.id} endpoint={endpoint} />
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
