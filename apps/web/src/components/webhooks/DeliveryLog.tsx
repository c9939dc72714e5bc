import type { AppRouter } from '@sora-monitor/core';
import type { inferRouterOutputs } from '@trpc/server';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { trpc } from '../../trpc';

type Delivery = inferRouterOutputs<AppRouter>['webhooks']['deliveries'][number];

const STATUS_LABELS: Record<Delivery['status'], string> = {
  pending: 'Waiting',
  succeeded: 'Delivered',
  failed: 'Gave up',
};

/** How often the log is read again while a delivery is still waiting (the worker sends within a second or so)… */
const REFRESH_WHILE_PENDING_MS = 2_000;
/** …and otherwise, so deliveries of new events appear without a reload. */
const REFRESH_MS = 10_000;

/** An endpoint's deliveries, newest first: status, tries, response code, latency, next try and the last error. */
export function DeliveryLog({ endpointId }: { endpointId: string }) {
  const deliveries = trpc.webhooks.deliveries.useQuery(
    { endpointId, limit: 20 },
    { refetchInterval: (query) => (query.state.data?.some((delivery) => delivery.status === 'pending') ? REFRESH_WHILE_PENDING_MS : REFRESH_MS) },
  );
  if (deliveries.isPending) return <p aria-busy="true">Loading deliveries…</p>;
  if (deliveries.error) return <p role="alert">{errorMessage(deliveries.error)}</p>;
  if (deliveries.data.length === 0) {
    return <p className="muted">No deliveries yet. Events you chose, and test events, will be listed here.</p>;
  }
  return (
    <div className="usage-table">
      <table className="data-table delivery-log" data-testid="delivery-log">
        <caption className="visually-hidden">Deliveries to this endpoint, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Tries</th>
            <th scope="col">Response</th>
            <th scope="col">Latency</th>
            <th scope="col">Next try</th>
            <th scope="col">Queued</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.map((delivery) => (
            <tr key={delivery.id} data-status={delivery.status}>
              <th scope="row">
                <code>{delivery.eventType}</code>
              </th>
              <td>
                <span className={`delivery-status delivery-${delivery.status}`}>{STATUS_LABELS[delivery.status]}</span>
                {delivery.lastError ? <div className="muted delivery-error">{delivery.lastError}</div> : null}
              </td>
              <td>{delivery.attempts}</td>
              <td>{delivery.lastStatusCode === null ? '—' : `HTTP ${delivery.lastStatusCode}`}</td>
              <td>{delivery.lastLatencyMs === null ? '—' : `${delivery.lastLatencyMs} ms`}</td>
              <td>{delivery.nextAttemptAt && delivery.status === 'pending' ? formatDateTime(delivery.nextAttemptAt) : '—'}</td>
              <td>{formatDateTime(delivery.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
