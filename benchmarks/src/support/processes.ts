import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProbeCommand, ProbeReply, ProbeStats } from './probe-protocol';
import { probeFile, serverDir, simulatorDir } from './paths';
import { bundleServerForRun, serverBundleFromEnv } from '../../../scripts/server-bundle.mjs';

const OUTPUT_LINES_KEPT = 200;
const live = new Set<Spawned>();

export interface Spawned {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last lines the process wrote (stdout and stderr). */
  output(): string;
  /** Asks the preloaded probe (servers only). */
  probe(command: ProbeCommand, options?: { gc?: boolean }): Promise<ProbeStats>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

interface SpawnOptions {
  name: string;
  cwd: string;
  args: string[];
  env: Record<string, string>;
  /** Node flags (e.g. --cpu-prof) before the script. */
  nodeArgs?: string[];
  /** The probe compiled to JavaScript: the process then runs without tsx's loader (see `compiledServer`). */
  compiledProbe?: string;
  /** Ready when the output matches (the result is the first capture group), or when the check returns a string. */
  ready: RegExp | (() => Promise<string | null>);
  timeoutMs?: number;
}

/**
 * The server (scripts/server-bundle.mjs, as the tests run it) and the probe as JavaScript, made once per run: a server
 * then starts on about a third of the CPU it spends loading itself through tsx's loader hooks, which was most of
 * `--quick`'s time. SORA_SERVER_BUNDLE=off starts servers from source.
 */
let compiled: Promise<{ server: string; probe: string } | null> | null = null;
function compiledServer(): Promise<{ server: string; probe: string } | null> {
  compiled ??= (async () => {
    const { remove } = await bundleServerForRun();
    process.once('exit', remove);
    const server = serverBundleFromEnv();
    if (!server) return null;
    const probeDir = mkdtempSync(path.join(tmpdir(), 'sora-bench-probe-'));
    process.once('exit', () => rmSync(probeDir, { recursive: true, force: true }));
    const probe = path.join(probeDir, 'probe.mjs');
    await build({ entryPoints: [probeFile], outfile: probe, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
    return { server, probe };
  })();
  return compiled;
}

/** Starts a Node process (TypeScript through tsx, with the probe preloaded) and waits until `ready` says so. */
async function spawnNode(options: SpawnOptions): Promise<{ process: Spawned; match: string }> {
  const preload = options.compiledProbe ? [] : ['--import', 'tsx'];
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      ...(options.nodeArgs ?? []),
      ...preload,
      '--import',
      pathToFileURL(options.compiledProbe ?? probeFile).href,
      ...options.args,
    ],
    {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const split = text.split('\n');
    partial = split.pop() ?? '';
    lines.push(...split);
    if (lines.length > OUTPUT_LINES_KEPT * 2) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const output = () => [...lines, partial].join('\n');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let nextProbe = 1;
  const pending = new Map<number, (stats: ProbeStats) => void>();
  child.on('message', (message: ProbeReply) => {
    if (typeof message.probe !== 'number') return;
    pending.get(message.probe)?.(message.result);
    pending.delete(message.probe);
  });

  const spawned: Spawned = {
    name: options.name,
    child,
    pid: child.pid ?? 0,
    output,
    probe(command, probeOptions = {}) {
      const probe = nextProbe++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${options.name}: probe '${command}' did not answer`)),
          30_000,
        );
        pending.set(probe, (stats) => {
          clearTimeout(timer);
          resolve(stats);
        });
        child.send({ probe, command, ...probeOptions });
      });
    },
    async stop(graceMs = 10_000) {
      live.delete(spawned);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  live.add(spawned);

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const found =
      options.ready instanceof RegExp ? (options.ready.exec(output())?.[1] ?? null) : await options.ready();
    if (found) return { process: spawned, match: found };
    if (child.exitCode !== null) {
      live.delete(spawned);
      throw new Error(`${options.name} exited during start-up (code ${child.exitCode}):\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await spawned.stop(1_000);
  throw new Error(`${options.name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${output()}`);
}

/** A bench-only script (TypeScript, probe preloaded) in its own process; ready when its output matches `ready`. */
export async function startScriptProcess(options: {
  name: string;
  file: string;
  env?: Record<string, string>;
  ready: RegExp;
}): Promise<{ process: Spawned; match: string }> {
  return spawnNode({
    name: options.name,
    cwd: path.dirname(options.file),
    args: [options.file],
    env: options.env ?? {},
    ready: options.ready,
  });
}

/** Sends one IPC request to a script started with startScriptProcess and waits for the reply with the same id. */
export function askScript<T>(
  spawned: Spawned,
  command: string,
  args: Record<string, unknown> = {},
): Promise<T> {
  const id = `${command}-${Math.random().toString(36).slice(2)}`;
  return new Promise((resolve, reject) => {
    const onMessage = (message: { script?: string; result?: T; error?: string }) => {
      if (message.script !== id) return;
      spawned.child.off('message', onMessage);
      if (message.error) reject(new Error(`${spawned.name}: ${message.error}`));
      else resolve(message.result as T);
    };
    spawned.child.on('message', onMessage);
    spawned.child.send({ script: id, command, ...args });
  });
}

/** Stops everything still running (after an error or Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((spawned) => spawned.stop(2_000)));
}

export interface SimulatorProcess extends Spawned {
  /** The SDK base URL, http://127.0.0.1:PORT/v1. */
  url: string;
  origin: string;
  apiKey: string;
}

/** The simulator as its own process (its CLI), so its work never competes with the benchmark's event loop. */
export async function startSimulatorProcess(
  options: { generationMs?: number } = {},
): Promise<SimulatorProcess> {
  const { process: spawned, match } = await spawnNode({
    name: 'simulator',
    cwd: simulatorDir,
    args: ['src/cli.ts'],
    env: { SIM_PORT: '0', SIM_GENERATION_MS: String(options.generationMs ?? 20_000) },
    ready: /Sora simulator ready at (http:\/\/\S+\/v1)/,
  });
  return Object.assign(spawned, { url: match, origin: match.replace(/\/v1$/, ''), apiKey: 'sim-key' });
}

export interface ServerProcess extends Spawned {
  /** http://127.0.0.1:PORT */
  url: string;
  dataDir: string;
}

export const AUTH_SECRET = 'benchmark-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * The real server entry point (apps/server/src/main.ts, bundled: see `compiledServer`) in its own process, against
 * `databaseUrl` and the external simulator. `env` overrides anything (POLL_CONCURRENCY, ROLE, …). Logs at warn: request
 * logging would otherwise be the benchmark's bottleneck (it is pushed through a pipe into this process).
 */
/**
 * BENCH_SERVER_NODE_ARGS: Node flags for every server process a scenario starts, to look into a result without editing
 * one (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`; a server writes its profile when it stops).
 */
const envServerNodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

export async function startServerProcess(options: {
  name?: string;
  databaseUrl: string;
  simulator: Pick<SimulatorProcess, 'url' | 'apiKey'>;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sora-bench-'));
  const port = await freePort();
  // An address, not "localhost": time-to-first-byte comparisons must not include a name lookup on one side only.
  const url = `http://127.0.0.1:${port}`;
  try {
    const bundle = await compiledServer();
    const { process: spawned } = await spawnNode({
      name: options.name ?? 'server',
      cwd: serverDir,
      args: [bundle?.server ?? 'src/main.ts'],
      ...(bundle ? { compiledProbe: bundle.probe } : {}),
      nodeArgs: [...envServerNodeArgs, ...(options.nodeArgs ?? [])],
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: options.databaseUrl,
        OPENAI_API_KEY: options.simulator.apiKey,
        OPENAI_BASE_URL: options.simulator.url,
        AUTH_SECRET,
        // One benchmark user sends far more than a person would (1,000 status pollers, thousands of requests a
        // second); the per-user limits and the spend cap are not what is measured here.
        RATE_LIMIT_GENERATE_PER_MIN: '0',
        RATE_LIMIT_STATUS_PER_MIN: '0',
        RATE_LIMIT_CONTENT_PER_MIN: '0',
        DAILY_SPEND_CAP_USD: 'off',
        // Every benchmark client connects from 127.0.0.1: the per-address connection cap (200) would reset the
        // crowd's connections (1,000 pollers, 1,000 subscribers), which is not what is measured.
        MAX_CONNECTIONS_PER_IP: '0',
        ...options.env,
      },
      // The "listening" line is logged at info; at warn, readiness is the health route answering.
      ready: async () => ((await isUp(`${url}/healthz`)) ? url : null),
    });
    const stop = spawned.stop;
    return Object.assign(spawned, {
      url,
      dataDir,
      stop: async (graceMs?: number) => {
        await stop(graceMs);
        rmSync(dataDir, { recursive: true, force: true });
      },
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function isUp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** A port nothing listens on right now (the OS picks it; the server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
