import { countActiveByStatus, type Database } from '@sora-monitor/db';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ProviderObserver } from './provider';

export interface Metrics {
  provider: ProviderObserver;
  pollLatency: Histogram<'result'>;
  sweepDuration: Histogram;
  leaseClaims: Counter;
  sweptStuck: Counter;
  autoRetries: Counter;
}

/** Prometheus metrics on the given registry; the active-generation gauge is read from the database at scrape. */
export function createMetrics(registry: Registry, db: Database): Metrics {
  const registers = [registry];
  const upstreamCalls = new Counter({
    name: 'sora_upstream_calls_total',
    help: 'Calls to the video service, by operation and result',
    labelNames: ['operation', 'result'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'sora_upstream_call_seconds',
    help: 'Duration of calls to the video service',
    labelNames: ['operation'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const budgetWaits = new Histogram({
    name: 'sora_rate_limiter_wait_seconds',
    help: 'Time spent waiting for the upstream requests-per-minute budget',
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60],
    registers,
  });
  new Gauge({
    name: 'sora_active_generations',
    help: 'Generations that are queued or in progress, by status',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const counts = await countActiveByStatus(db);
      this.reset();
      for (const status of ['queued', 'in_progress'] as const) this.set({ status }, counts[status] ?? 0);
    },
  });
  return {
    provider: {
      onCall(operation, result, durationMs) {
        upstreamCalls.inc({ operation, result });
        upstreamDuration.observe({ operation }, durationMs / 1000);
      },
      onBudgetWait(waitedMs) {
        budgetWaits.observe(waitedMs / 1000);
      },
    },
    pollLatency: new Histogram({
      name: 'sora_poll_seconds',
      help: 'Time to refresh one claimed generation (upstream call, download, write)',
      labelNames: ['result'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60],
      registers,
    }),
    sweepDuration: new Histogram({
      name: 'sora_stuck_sweep_seconds',
      help: 'Duration of one stuck-generation sweep',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    leaseClaims: new Counter({ name: 'sora_lease_claims_total', help: 'Generations leased by the poller', registers }),
    sweptStuck: new Counter({ name: 'sora_stuck_failed_total', help: 'Generations failed by the stuck sweep', registers }),
    autoRetries: new Counter({ name: 'sora_auto_retries_total', help: 'Automatic new attempts started', registers }),
  };
}
