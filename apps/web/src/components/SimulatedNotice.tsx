import { trpc } from '../trpc';

/** Always visible on the simulator, so nobody mistakes generated test patterns for real Sora output. */
export function SimulatedNotice() {
  const health = trpc.system.health.useQuery(undefined, { staleTime: 60_000 });
  if (!health.data?.provider.simulated) return null;
  return (
    <div className="notice notice-simulated" role="status">
      <strong>Simulated provider.</strong> No OpenAI API key is configured, so generations run on the built-in Sora
      simulator and produce test-pattern videos.
    </div>
  );
}
