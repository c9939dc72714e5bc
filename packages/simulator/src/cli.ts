import { CliConfigError, readCliConfig } from './cli-config';
import type { SimulatorLogger } from './options';
import { startSimulator } from './simulator';

/** Standalone entry point: `pnpm --filter @sora-monitor/simulator start` (or `pnpm simulator` at the root). */
async function main(): Promise<void> {
  let options;
  try {
    options = readCliConfig(process.env);
  } catch (error) {
    if (!(error instanceof CliConfigError)) throw error;
    console.error(`sora-simulator: ${error.message}`);
    process.exit(1);
  }

  // One line per event; errors reduced to their message (JSON.stringify would print them as {}).
  const show = (obj: object) =>
    JSON.stringify(obj, (_key, value: unknown) =>
      value instanceof Error ? `${value.name}: ${value.message}` : value,
    );
  const logger: SimulatorLogger = {
    info: (obj, msg) => console.log(`[sim] ${msg ?? ''} ${show(obj)}`),
    warn: (obj, msg) => console.warn(`[sim] WARN ${msg ?? ''} ${show(obj)}`),
  };
  const sim = await startSimulator({ ...options, logger });
  console.log(
    `Sora simulator ready at ${sim.url} (API key: ${sim.apiKey}; request log: ${sim.origin}/__sim/requests)`,
  );

  const shutdown = (signal: NodeJS.Signals) => {
    console.log(`sora-simulator: ${signal} received, closing`);
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('sora-simulator: failed to close cleanly', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error('sora-simulator: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
