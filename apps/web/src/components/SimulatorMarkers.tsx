import { trpc } from '../trpc';

const MARKERS: readonly { marker: string; label: string }[] = [
  { marker: '[sim:slow]', label: 'Slow (5× longer)' },
  { marker: '[sim:fail=moderation_blocked]', label: 'Blocked by moderation' },
  { marker: '[sim:fail=internal_error]', label: 'Provider error' },
  { marker: '[sim:stuck=40]', label: 'Stuck at 40%' },
  { marker: '[sim:expire-after=2]', label: 'Job expires (404)' },
  { marker: '[sim:flap-503]', label: 'Provider flapping (503)' },
];

/** On the built-in simulator only: markers that script how a generation behaves, for demos and tests. */
export function SimulatorMarkers({ onAdd }: { onAdd: (marker: string) => void }) {
  const health = trpc.system.health.useQuery(undefined, { staleTime: 60_000 });
  if (!health.data?.provider.simulated) return null;
  return (
    <details className="sim-markers">
      <summary>Simulator scenarios</summary>
      <p className="hint">Add a marker to the prompt to make the simulated provider behave a certain way.</p>
      <ul className="marker-list">
        {MARKERS.map(({ marker, label }) => (
          <li key={marker}>
            <button type="button" className="button button-small" onClick={() => onAdd(marker)}>
              {label} <code>{marker}</code>
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
