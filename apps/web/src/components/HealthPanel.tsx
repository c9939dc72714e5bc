import { trpc } from '../trpc';

export function HealthPanel() {
  const health = trpc.system.health.useQuery(undefined, { refetchInterval: 15_000 });

  if (health.isPending) {
    return (
      <section className="panel" aria-labelledby="health-title" aria-busy="true">
        <h2 id="health-title">Server health</h2>
        <p>Checking the server…</p>
      </section>
    );
  }
  if (health.isError) {
    return (
      <section className="panel" aria-labelledby="health-title">
        <h2 id="health-title">Server health</h2>
        <p className="status status-bad" role="alert">
          The server cannot be reached: {health.error.message}
        </p>
      </section>
    );
  }

  const { ok, version, provider, database } = health.data;
  return (
    <section className="panel" aria-labelledby="health-title">
      <h2 id="health-title">Server health</h2>
      <p className={`status ${ok ? 'status-good' : 'status-bad'}`} data-testid="health-status">
        {ok ? 'All systems ready' : 'Not ready'}
      </p>
      {database ? (
        <dl className="facts">
          <dt>Database</dt>
          <dd data-testid="health-database">
            {database.kind === 'pglite' ? 'Embedded PGlite' : 'PostgreSQL'} ·{' '}
            {database.reachable ? (database.migrated ? 'reachable, migrated' : 'reachable, migrations pending') : `unreachable${database.error ? ` (${database.error})` : ''}`}
          </dd>
          <dt>Video provider</dt>
          <dd data-testid="health-provider">{provider.simulated ? 'Built-in simulator' : provider.baseURL}</dd>
          <dt>Version</dt>
          <dd>{version}</dd>
        </dl>
      ) : (
        <p className="muted" data-testid="health-details-hint">
          {provider.simulated ? 'Running on the built-in simulator. ' : ''}Sign in to see the database, provider and version.
        </p>
      )}
    </section>
  );
}
