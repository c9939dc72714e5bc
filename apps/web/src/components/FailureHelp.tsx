import { classifyFailure } from '@sora-monitor/core/domain';

/** A failed generation in plain words: what happened, what it means, what to try. */
export function FailureHelp({ error, errorCode, retryPlanned = false }: { error: string | null; errorCode: string | null; retryPlanned?: boolean }) {
  const info = classifyFailure(errorCode);
  return (
    <section className="callout callout-error" aria-labelledby="failure-title" data-testid="failure-help" data-kind={info.kind}>
      <h3 id="failure-title">{info.title}</h3>
      <p className="failure-message" data-testid="failure-message">
        {error ?? 'The video service did not say why.'}
      </p>
      <dl className="failure-facts">
        <dt>What it means</dt>
        <dd>{info.explanation}</dd>
        <dt>What to try</dt>
        <dd>{info.advice}</dd>
      </dl>
      {info.autoRetryable && !retryPlanned ? (
        <p className="small">Failures like this one may also be retried automatically, a limited number of times.</p>
      ) : null}
      {errorCode ? <p className="muted small">Error code: <code>{errorCode}</code></p> : null}
    </section>
  );
}
