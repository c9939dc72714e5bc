import { actorLabel } from '@sora-monitor/core/domain';
import { attemptDetails } from '../lib/generation';
import { formatDateTime, formatUsd, STATUS_LABELS } from '../lib/format';
import type { EventView, GenerationStatus, History } from '../trpc';

const EVENT_TITLES: Readonly<Record<string, string>> = {
  created: 'Video created',
  generation_requested: 'Generation requested',
  job_created: 'Accepted by the video service',
  create_unconfirmed: 'Waiting for the video service to confirm',
  status_changed: 'Status changed',
  progress: 'Progress',
  reset: 'Reset',
  upstream_status_unknown: 'Unrecognised status from the video service',
  transient_problem: 'Temporary problem',
  auto_retry_cancelled: 'Automatic retry cancelled',
};

function statusLabel(status: GenerationStatus | null): string {
  return status ? STATUS_LABELS[status] : '—';
}

function eventTitle(event: EventView): string {
  return EVENT_TITLES[event.type] ?? event.type.replaceAll('_', ' ');
}

/** Every attempt, then the audit log: who or what changed the state, and when. Newest first, as the server sends. */
export function HistoryTimeline({ history }: { history: History }) {
  const attempts = history.attempts.map(attemptDetails);
  // Download progress drives the Downloading step's bar; as log rows they would only be noise.
  const events = history.events.filter((event) => event.type !== 'download_progress');
  return (
    <div className="history">
      <section aria-labelledby="attempts-title">
        <h3 id="attempts-title">Attempts</h3>
        {attempts.length === 0 ? (
          <p className="muted">No generation has been started yet.</p>
        ) : (
          <ol className="attempts" data-testid="attempts">
            {attempts.map((attempt) => (
              <li key={attempt.id} className="attempt">
                <span className="attempt-title">
                  Attempt {attempt.attempt}
                  {attempt.status ? (
                    <span className={`badge badge-${attempt.status}`}>{STATUS_LABELS[attempt.status as GenerationStatus] ?? attempt.status}</span>
                  ) : null}
                </span>
                <span className="attempt-meta">
                  {attempt.requestedAt ? <>Requested {formatDateTime(attempt.requestedAt)}</> : null}
                  {attempt.completedAt ? <> · finished {formatDateTime(attempt.completedAt)}</> : null}
                  {attempt.cost !== null ? <> · {formatUsd(attempt.cost)}</> : null}
                  {' · '}
                  <span data-testid="attempt-spend">
                    {attempt.countsTowardSpend ? 'counts toward the daily spend' : 'not counted: it ended before rendering'}
                  </span>
                  {attempt.jobId ? (
                    <>
                      {' '}
                      · job <code className="job-id">{attempt.jobId}</code>
                    </>
                  ) : null}
                </span>
                {attempt.errorMessage ? <span className="attempt-error">{attempt.errorMessage}</span> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="events-title">
        <h3 id="events-title">Activity</h3>
        <ol className="timeline" data-testid="timeline">
          {events.map((event) => (
            <li key={event.id} className={`timeline-item timeline-${event.type}`}>
              <time className="timeline-time" dateTime={event.createdAt}>
                {formatDateTime(event.createdAt)}
              </time>
              <div className="timeline-body">
                <p className="timeline-title">
                  <strong>{eventTitle(event)}</strong>
                  {event.fromStatus && event.toStatus && event.fromStatus !== event.toStatus ? (
                    <span className="transition">
                      {' '}
                      {statusLabel(event.fromStatus)} → {statusLabel(event.toStatus)}
                    </span>
                  ) : null}
                  <span className="actor" data-actor={event.actor}> by {actorLabel(event.actor)}</span>
                </p>
                {event.message ? <p className="timeline-message">{event.message}</p> : null}
                {typeof event.data?.providerAnswer === 'string' ? <ProviderAnswer json={event.data.providerAnswer} /> : null}
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

/** What the video service answered at that moment, collapsed: for support, not for reading every day. */
function ProviderAnswer({ json }: { json: string }) {
  let pretty = json;
  try {
    pretty = JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    // Shown as stored.
  }
  return (
    <details className="provider-answer" data-testid="provider-answer">
      <summary>Provider answer</summary>
      <pre>{pretty}</pre>
    </details>
  );
}
