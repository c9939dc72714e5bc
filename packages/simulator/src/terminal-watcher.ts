import type { Job, JobStore } from './jobs';
import { isTerminal } from './timeline';
import type { WebhookDispatcher } from './webhooks';

/**
 * Notices jobs reaching completed or failed on a timer (upstream sends its webhook whether or not anyone polls) and
 * hands each one, once, to the webhook dispatcher. Polls call `check` too, so a webhook never lags a poll that already
 * showed the terminal state.
 */
export class TerminalWatcher {
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: JobStore,
    private readonly webhooks: WebhookDispatcher,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.sweep(), this.intervalMs);
    // The watcher alone must not keep a process (or a test run) alive.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  sweep(): void {
    for (const job of this.store.unreported()) this.check(job);
  }

  check(job: Job): void {
    if (job.terminalReported || job.gone) return;
    const { status, finishedAtMs, error } = this.store.observe(job);
    if (!isTerminal(status)) return;
    // Marked even without a webhook configured: like upstream, an event is sent only to endpoints set up at the time.
    this.store.markReported(job);
    // The API defines events for completion and failure only; a job that completed and then expired unseen still
    // completed. Cancelled jobs, and jobs that expired unfinished, send nothing.
    if (status === 'failed') this.webhooks.send('video.failed', job.id);
    else if (status === 'completed' || (status === 'expired' && finishedAtMs !== null && error === null))
      this.webhooks.send('video.completed', job.id);
  }
}
