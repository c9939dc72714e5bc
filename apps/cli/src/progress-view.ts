import cliProgress from 'cli-progress';
import type { Cli } from './context';
import { remainingText, type StatusReport } from './report';

/** How `watch` shows progress: a live bar on a terminal, a line per change otherwise, nothing with --json. */
export interface ProgressView {
  show(report: StatusReport, note: string): void;
  stop(): void;
}

export function createProgressView(cli: Cli): ProgressView {
  if (cli.json) return { show: () => {}, stop: () => {} };
  return cli.stderr.isTTY ? barView(cli) : lineView(cli);
}

function detail(report: StatusReport, note: string): string {
  const step =
    report.status === 'failed'
      ? `Failed${report.step ? ` while ${report.step.toLowerCase()}` : ''}`
      : (report.step ?? report.status);
  const parts = [step, remainingText(report), report.temporarilyUnavailable ? report.message : '', note];
  return parts.filter(Boolean).join(' · ');
}

function barView(cli: Cli): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream: cli.stderr,
      // No {eta}: the library's would be a guess from the bar's own speed; ours comes from the domain estimate.
      format: ' {bar} {percentage}% | {detail}',
      hideCursor: true,
      clearOnComplete: false,
      linewrap: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    show(report, note) {
      const payload = { detail: detail(report, note) };
      if (!started) bar.start(100, report.progress, payload);
      else bar.update(report.progress, payload);
      started = true;
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function lineView(cli: Cli): ProgressView {
  let last = '';
  return {
    show(report, note) {
      // One line per real change (status, step, progress), not per clock tick of the estimate.
      const key = `${report.status} ${report.step} ${report.progress} ${note}`;
      if (key === last) return;
      last = key;
      cli.stderr.write(`${String(report.progress).padStart(3)}% ${detail(report, note)}\n`);
    },
    stop() {},
  };
}

/** Bytes as people read them: 512 B, 1.4 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A download's bar on a terminal (when the size is known); nothing otherwise. */
export function createByteProgress(
  cli: Cli,
  total: number | null,
): { advance(bytes: number): void; stop(): void } {
  if (cli.json || !cli.stderr.isTTY || !total) return { advance: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: cli.stderr,
      format: ' {bar} {percentage}% | {done} of {size}',
      hideCursor: true,
      linewrap: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  bar.start(total, 0, { done: formatBytes(0), size: formatBytes(total) });
  return {
    advance(bytes) {
      done += bytes;
      bar.update(done, { done: formatBytes(done) });
    },
    stop: () => bar.stop(),
  };
}
