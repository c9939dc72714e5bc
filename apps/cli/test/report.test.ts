import type { StatusView } from '@sora-monitor/core/client';
import { describe, expect, it } from 'vitest';
import { buildReport, reportLines } from '../src/report';

const base: StatusView = {
  videoId: '6c1f1f0e-3c7a-4b8e-9a37-1d7f6c9b9a01',
  status: 'in_progress',
  progress: 50,
  videoUrl: null,
  thumbnailUrl: null,
  error: null,
  errorCode: null,
  message: 'Generating your video… 50% complete.',
  temporarilyUnavailable: false,
  rateLimited: false,
  nextCheckAt: null,
  jobId: 'video_1',
  startedAt: '2026-05-01T12:00:00.000Z',
  completedAt: null,
  progressChangedAt: '2026-05-01T12:01:00.000Z',
  cost: null,
  autoRetryAt: null,
  updatedAt: '2026-05-01T12:01:00.000Z',
};
const now = new Date('2026-05-01T12:01:00.000Z');

describe('buildReport', () => {
  it('estimates the time remaining from the progress speed, with the current step', () => {
    const report = buildReport(base, { now, title: 'Boat' });
    expect(report).toMatchObject({ step: 'Generating', remainingMs: 60_000, failure: null, title: 'Boat' });
    expect(reportLines(report, 'http://localhost:3000')).toContain('Remaining: about 1 min left');
  });

  it('shows no time remaining rather than a made-up one', () => {
    const queued = buildReport({ ...base, status: 'queued', progress: 0, progressChangedAt: null }, { now });
    expect(queued).toMatchObject({ step: 'Queued', remainingMs: null });
    expect(reportLines(queued, 'http://localhost:3000').some((line) => line.startsWith('Remaining'))).toBe(
      false,
    );
  });

  it('explains a failure with advice, and gives a completed video its full URL', () => {
    const failed = buildReport(
      {
        ...base,
        status: 'failed',
        error: 'Your request was blocked by our moderation system.',
        errorCode: 'moderation_blocked',
      },
      { now },
    );
    expect(failed.failure).toMatchObject({ kind: 'moderation' });
    // Blocked by moderation: the same prompt would be blocked again, so the hint is to retry with a new one.
    expect(reportLines(failed, 'http://x')).toContain(`Retry with a new prompt: sora-monitor retry ${base.videoId} --prompt "…"`);
    const serverError = buildReport({ ...base, status: 'failed', error: 'Internal error', errorCode: 'internal_error' }, { now });
    expect(reportLines(serverError, 'http://x')).toContain(`Retry with: sora-monitor retry ${base.videoId}`);

    const done = buildReport(
      {
        ...base,
        status: 'completed',
        progress: 100,
        videoUrl: `/api/videos/${base.videoId}/content`,
        cost: 0.4,
      },
      { now },
    );
    expect(done.step).toBe('Ready');
    expect(reportLines(done, 'http://localhost:3000/sora')).toEqual(
      expect.arrayContaining([
        `Content:   http://localhost:3000/api/videos/${base.videoId}/content`,
        'Cost:      $0.40',
      ]),
    );
  });
});
