import { describe, expect, it } from 'vitest';
import { runDurations, transientProblemEvent } from '../../src/domain';

const at = (seconds: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, seconds));

describe('transientProblemEvent', () => {
  it('names a rate limit a rate limit, with the wait it asked for', () => {
    const event = transientProblemEvent('in_progress', { reason: 'rate_limited', retryAfterMs: 1_500 });
    expect(event).toMatchObject({ type: 'transient_problem', fromStatus: 'in_progress', toStatus: 'in_progress' });
    expect(event.message).toBe('The video service asked us to slow down (429); it asked to wait 2 s. Checked again later; nothing was lost.');
    expect(event.data).toEqual({ reason: 'rate_limited', retryAfterMs: 1_500 });
  });
  it('names a server error', () => {
    expect(transientProblemEvent('queued', { reason: 'server_error', retryAfterMs: null }).message).toMatch(/^The video service had a server error \(5xx\)\./);
  });
});

describe('runDurations', () => {
  it('splits a finished run into queue time and total', () => {
    expect(runDurations({ requestedAt: at(0), queuedAt: at(1), inProgressAt: at(13), finishedAt: at(72) })).toEqual({ queuedMs: 12_000, totalMs: 72_000 });
  });
  it('counts a run that failed in the queue as queued until it ended', () => {
    expect(runDurations({ requestedAt: at(0), queuedAt: at(1), inProgressAt: null, finishedAt: at(9) })).toEqual({ queuedMs: 8_000, totalMs: 9_000 });
  });
  it('says nothing it does not know', () => {
    expect(runDurations({ requestedAt: null, queuedAt: null, inProgressAt: null, finishedAt: null })).toEqual({ queuedMs: null, totalMs: null });
    expect(runDurations({ requestedAt: at(5), queuedAt: null, inProgressAt: null, finishedAt: at(1) }).totalMs).toBeNull();
  });
});
