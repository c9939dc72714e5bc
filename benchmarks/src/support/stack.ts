import { createBenchDatabase, type BenchDatabase } from './database';
import {
  startServerProcess,
  startSimulatorProcess,
  type ServerProcess,
  type SimulatorProcess,
} from './processes';

/** A fresh database, the simulator and N server processes on them; torn down in reverse whatever happens. */
export interface Stack {
  database: BenchDatabase;
  simulator: SimulatorProcess;
  servers: ServerProcess[];
}

export interface StackOptions {
  label: string;
  /** One entry per server process: its environment overrides (ROLE, POLL_CONCURRENCY…). */
  servers: Array<Record<string, string>>;
  simulatorGenerationMs?: number;
  /** Node flags for every server process (e.g. --cpu-prof when looking into a result). */
  nodeArgs?: string[];
}

export async function withStack<T>(options: StackOptions, run: (stack: Stack) => Promise<T>): Promise<T> {
  const [database, simulator] = await settleBoth(
    createBenchDatabase(options.label),
    startSimulatorProcess({ generationMs: options.simulatorGenerationMs }),
  );
  const servers: ServerProcess[] = [];
  try {
    const sim = simulator;
    // The database is migrated already, so the servers can start together.
    const started: Array<ServerProcess | undefined> = [];
    try {
      await Promise.all(
        options.servers.map(async (env, index) => {
          started[index] = await startServerProcess({
            name: `server-${index + 1}`,
            databaseUrl: database.url,
            simulator: sim,
            env,
            nodeArgs: options.nodeArgs,
          });
        }),
      );
    } finally {
      servers.push(...started.filter((server): server is ServerProcess => server !== undefined));
    }
    return await run({ database, simulator, servers });
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await simulator.stop();
    await database.drop();
  }
}

/** Both, started together; if either fails, the other is undone before the error is thrown. */
async function settleBoth(
  database: Promise<BenchDatabase>,
  simulator: Promise<SimulatorProcess>,
): Promise<[BenchDatabase, SimulatorProcess]> {
  const [db, sim] = await Promise.allSettled([database, simulator]);
  if (db.status === 'fulfilled' && sim.status === 'fulfilled') return [db.value, sim.value];
  if (db.status === 'fulfilled') await db.value.drop();
  if (sim.status === 'fulfilled') await sim.value.stop();
  throw db.status === 'rejected' ? db.reason : (sim as PromiseRejectedResult).reason;
}
