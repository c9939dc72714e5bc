import { attemptDetails } from '../lib/generation';
import { formatDateTime, formatUsd, STATUS_LABELS } from '../lib/format';
import type { EventView, GenerationStatus, History } from '../trpc';

const ACTORS: Readonly<Record<string, string>> = {
  user: 'You',
  poller: 'Background checker',
  webhook: 'Provider notification',
  sweeper: 'Stuck-job cleanup',
  system: 'Sora Monitor',
};

const EVENT_TITLES: Readonly<Record<string, string>> = {
  created: 'Video created',
  generation_requested: 'Generation requested',
  job_created: 'Accepted by the video service',
  create_unconfirmed: 'Waiting for the video service to confirm',
  status_changed: 'Status changed',
  progress: 'Progress',
  reset: 'Reset',
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
          {history.events.map((event) => (
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
                  <span className="actor"> by {ACTORS[event.actor] ?? event.actor}</span>
                </p>
                {event.message ? <p className="timeline-message">{event.message}</p> : null}
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
