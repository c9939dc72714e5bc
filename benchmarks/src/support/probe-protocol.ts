/** Messages between the benchmark and the probe preloaded into a spawned process (see probe.ts). */

export interface ProbeStats {
  rss: number;
  /** VmHWM: the highest RSS since the process started or since the last reset. */
  peakRss: number;
  heapUsed: number;
  /** V8 heap committed (used plus free space it holds on to). */
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** CPU time the process has used so far (user + system), in ms. */
  cpuMs: number;
  /** Event-loop delay since the last reset (perf_hooks.monitorEventLoopDelay, 10 ms resolution). */
  loopDelayMs: { p50: number; p99: number; max: number; mean: number };
}

export type ProbeCommand = 'stats' | 'reset' | 'gc';

export interface ProbeRequest {
  probe: number;
  command: ProbeCommand;
  /** For `reset`: collect garbage first (needs --expose-gc). */
  gc?: boolean;
}

export interface ProbeReply {
  probe: number;
  result: ProbeStats;
}
