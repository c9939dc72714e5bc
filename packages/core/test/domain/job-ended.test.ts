import { describe, expect, it } from 'vitest';
import { countsTowardSpend, hasUpstreamJobEnded, upstreamJobVerdict, type AttemptFacts } from '../../src/domain';

const attempt = (overrides: Partial<AttemptFacts>): AttemptFacts => ({
  status: 'failed',
  errorCode: null,
  createOutcome: 'confirmed',
  progress: 0,
  ...overrides,
});

describe('hasUpstreamJobEnded / countsTowardSpend', () => {
  it.each<[string, Partial<AttemptFacts>, boolean, boolean]>([
    // name, facts, ended, counts
    ['queued, create in flight', { status: 'queued', createOutcome: 'pending' }, false, true],
    ['in progress', { status: 'in_progress', progress: 50 }, false, true],
    ['completed', { status: 'completed', progress: 100 }, false, true],
    ['create refused (no job)', { errorCode: 'moderation_blocked', createOutcome: 'rejected' }, true, false],
    ['upstream reported failure', { errorCode: 'internal_error', progress: 60 }, true, false],
    ['upstream failure without a code', { errorCode: null, progress: 10 }, true, false],
    ['job not found', { errorCode: 'job_not_found', progress: 30 }, true, false],
    ['expired', { errorCode: 'expired' }, true, false],
    ['cancelled', { errorCode: 'cancelled' }, true, false],
    ['rendered, download failed', { errorCode: 'download_failed', progress: 100 }, true, true],
    ['failed as stuck (job may still run)', { errorCode: 'stuck_timeout', progress: 30 }, false, true],
    ['reset while running (job runs on, billed)', { errorCode: 'reset', progress: 20 }, false, true],
    ['create never confirmed (job may exist)', { errorCode: 'create_not_confirmed', createOutcome: 'unknown' }, false, true],
  ])('%s', (_name, facts, ended, counts) => {
    expect(hasUpstreamJobEnded(attempt(facts))).toBe(ended);
    expect(countsTowardSpend(attempt(facts))).toBe(counts);
  });
});

describe('upstreamJobVerdict', () => {
  it.each<[Parameters<typeof upstreamJobVerdict>[0], string]>([
    [{ kind: 'not_found' }, 'ended'],
    [{ kind: 'video', status: 'failed' }, 'ended'],
    [{ kind: 'video', status: 'expired' }, 'ended'],
    [{ kind: 'video', status: 'Cancelled' }, 'ended'],
    [{ kind: 'video', status: 'canceled' }, 'ended'],
    [{ kind: 'video', status: 'completed' }, 'completed'],
    [{ kind: 'video', status: 'in_progress' }, 'may_still_finish'],
    [{ kind: 'video', status: 'queued' }, 'may_still_finish'],
    [{ kind: 'video', status: 'preprocessing' }, 'may_still_finish'],
    [{ kind: 'unavailable' }, 'may_still_finish'],
  ])('%j -> %s', (answer, verdict) => {
    expect(upstreamJobVerdict(answer)).toBe(verdict);
  });
});
