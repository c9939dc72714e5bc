import { unavailableNotice } from '@sora-monitor/core/domain';
import cliProgress from 'cli-progress';
import { formatBytes } from '@sora-monitor/core/domain';
import type { Cli } from './context';
import { autoRetryText, remainingText, type StatusReport } from './report';

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
  const parts = [step, autoRetryText(report) ?? remainingText(report), report.temporarilyUnavailable ? unavailableNotice(report, new Date()) : '', note];
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
      // One line per real change (status, step, progress, reachability), not per clock tick of the estimate.
      const key = `${report.status} ${report.step} ${report.progress} ${report.temporarilyUnavailable} ${note}`;
      if (key === last) return;
      last = key;
      cli.stderr.write(`${String(report.progress).padStart(3)}% ${detail(report, note)}\n`);
    },
    stop() {},
  };
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
