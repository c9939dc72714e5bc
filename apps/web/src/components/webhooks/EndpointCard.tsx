import type { AppRouter } from '@sora-monitor/core';
import type { inferRouterOutputs } from '@trpc/server';
import { errorMessage } from '../../lib/errors';
import { trpc } from '../../trpc';
import { DeliveryLog } from './DeliveryLog';

type Endpoint = inferRouterOutputs<AppRouter>['webhooks']['list'][number];

/** One registered endpoint: its URL and events, a test event, deletion, and its delivery log. */
export function EndpointCard({ endpoint }: { endpoint: Endpoint }) {
  const utils = trpc.useUtils();
  const sendTest = trpc.webhooks.sendTest.useMutation({
    onSuccess: () => utils.webhooks.deliveries.invalidate({ endpointId: endpoint.id }),
  });
  const remove = trpc.webhooks.delete.useMutation({ onSuccess: () => utils.webhooks.list.invalidate() });
  return (
    <li className="panel webhook-endpoint" data-testid="webhook-endpoint">
      <h3 className="webhook-url">
        <code>{endpoint.url}</code>
      </h3>
      <p className="muted">
        Events: {endpoint.events.map((event) => (
          <code key={event} className="webhook-event">
            {event}
          </code>
        ))}
      </p>
      <p className="webhook-actions">
        <button type="button" className="button button-small" disabled={sendTest.isPending} onClick={() => sendTest.mutate({ endpointId: endpoint.id })}>
          Send test event
        </button>{' '}
        <button
          type="button"
          className="button button-small button-quiet-danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ endpointId: endpoint.id })}
          aria-label={`Delete the endpoint ${endpoint.url}`}
        >
          Delete
        </button>
      </p>
      {sendTest.error ? <p role="alert">{errorMessage(sendTest.error)}</p> : null}
      {remove.error ? <p role="alert">{errorMessage(remove.error)}</p> : null}
      <h4>Deliveries</h4>
      <DeliveryLog endpointId={endpoint.id} />
    </li>
  );
}
