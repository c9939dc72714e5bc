import { useId } from 'react';
import { Link } from 'wouter';
import type { UsageCharts } from './types';

/** Why generations failed in the range, most frequent first, each leading to the videos that failed that way. */
export function FailureReasons({ charts }: { charts: UsageCharts }) {
  const titleId = useId();
  const reasons = charts.failureReasons;
  const most = reasons[0]?.count ?? 0;
  return (
    <section className="panel" aria-labelledby={titleId} data-testid="failure-reasons">
      <h2 id={titleId}>Failure reasons</h2>
      {reasons.length === 0 ? (
        <p className="muted" data-testid="empty-state">
          No failures in this range. When a generation fails, its reason will be listed here, the most frequent first.
        </p>
      ) : (
        <ol className="reason-list">
          {reasons.map((reason) => (
            <li key={reason.kind} data-testid="failure-reason">
              <div className="reason-head">
                <Link href={`/?failure=${reason.kind}`}>{reason.title}</Link>
                <span className="reason-count">
                  {reason.count} {reason.count === 1 ? 'failure' : 'failures'}
                </span>
              </div>
              <div className="reason-bar" aria-hidden="true">
                <span style={{ width: `${(reason.count / most) * 100}%` }} />
              </div>
              <p className="muted small">Codes: {reason.codes.join(', ')}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
