/*
 * Preloaded (`node --import tsx --import probe.ts`) into the server processes the benchmarks spawn, so memory and
 * event-loop delay are read from inside the real process without any product code knowing about it. It answers
 * requests on the IPC channel the parent opened; a process started without one is left alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ProbeReply, ProbeRequest, ProbeStats } from './probe-protocol';

const MS = 1e6;

function kib(field: string): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

function stats(delay: ReturnType<typeof monitorEventLoopDelay>): ProbeStats {
  const memory = process.memoryUsage();
  return {
    rss: memory.rss,
    peakRss: kib('VmHWM'),
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    loopDelayMs: {
      p50: delay.percentile(50) / MS,
      p99: delay.percentile(99) / MS,
      max: delay.max / MS,
      mean: Number.isNaN(delay.mean) ? 0 : delay.mean / MS,
    },
  };
}

if (process.send) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const gc = (globalThis as { gc?: () => void }).gc;

  process.on('message', (message: ProbeRequest) => {
    if (typeof message !== 'object' || message === null || !('probe' in message)) return;
    const reply = (result: ProbeStats) =>
      process.send?.({ probe: message.probe, result } satisfies ProbeReply);
    switch (message.command) {
      case 'stats':
        reply(stats(delay));
        return;
      case 'reset':
        // Peak RSS (VmHWM) back to the current RSS; event-loop histogram emptied. Linux only.
        if (message.gc && gc) gc();
        writeFileSync('/proc/self/clear_refs', '5');
        delay.reset();
        reply(stats(delay));
        return;
      case 'gc':
        if (gc) {
          gc();
          gc();
        }
        reply(stats(delay));
        return;
    }
  });
  // The IPC channel must not keep a server alive that is shutting down.
  process.channel?.unref();
}
