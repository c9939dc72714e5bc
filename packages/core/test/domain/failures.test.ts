import { describe, expect, it } from 'vitest';
import {
  FAILURE_CODES,
  classifyFailure,
  failureFacts,
  hasUpstreamJobEnded,
  refusedCreateFailure,
  shouldAutoRetry,
  submissionFailureCode,
  type FailureAction,
  type FailureKind,
  type FailureStep,
} from '../../src/domain';

describe('failures the service reported for its job, told by their code', () => {
  it.each<[string, FailureKind, boolean]>([
    ['moderation_blocked', 'moderation', false],
    ['content_policy_violation', 'moderation', false],
    ['content_filter', 'moderation', false],
    ['ResponsibleAIPolicyViolation', 'moderation', false],
    ['invalid_request_error', 'invalid_request', false],
    ['invalid_value', 'invalid_request', false],
    ['model_not_found', 'invalid_request', false],
    ['insufficient_quota', 'quota', false],
    ['billing_hard_limit_reached', 'quota', false],
    ['rate_limit_exceeded', 'unavailable', false],
    ['service_unavailable', 'unavailable', false],
    ['internal_error', 'upstream_error', true],
    ['server_error', 'upstream_error', true],
    ['INTERNAL_ERROR', 'upstream_error', true],
    ['video_expired', 'expired', false],
    ['canceled', 'cancelled', false],
    ['CANCELLED', 'cancelled', false],
    ['something_new', 'unknown', false],
  ])('%s -> %s (auto-retry %s)', (code, kind, autoRetryable) => {
    const info = classifyFailure(code);
    expect(info).toMatchObject({ kind, autoRetryable, step: 'generation', httpStatus: null, upstreamCode: code });
  });

  it('a failure without a code is unknown, at the generation step', () => {
    for (const code of [null, undefined, '', '  ']) {
      expect(classifyFailure(code)).toMatchObject({ kind: 'unknown', step: 'generation', upstreamCode: null });
    }
  });
});

describe("this application's own codes name their step", () => {
  it.each<[string, FailureStep, FailureKind, boolean]>([
    [FAILURE_CODES.jobNotFound, 'lookup', 'expired', false],
    [FAILURE_CODES.jobExpired, 'generation', 'expired', false],
    [FAILURE_CODES.jobCancelled, 'generation', 'cancelled', false],
    [FAILURE_CODES.stuckTimeout, 'stuck_check', 'stuck_timeout', true],
    [FAILURE_CODES.downloadFailed, 'download', 'download', false],
    [FAILURE_CODES.createNotConfirmed, 'submission', 'not_confirmed', false],
  ])('%s: step %s, kind %s (auto-retry %s)', (code, step, kind, autoRetryable) => {
    expect(classifyFailure(code)).toMatchObject({ step, kind, autoRetryable, upstreamCode: null, httpStatus: null });
  });
});

describe('a create the service refused, told by its HTTP status and code', () => {
  it('records the step and the status in the code, and keeps the service message as it is', () => {
    expect(refusedCreateFailure({ status: 400, code: 'invalid_simulator_marker', message: 'Unknown simulator marker [sim:bogus].' })).toEqual({
      code: 'http_400:invalid_simulator_marker',
      message: 'Unknown simulator marker [sim:bogus].',
    });
    expect(refusedCreateFailure({ status: 429, code: null, message: '' })).toEqual({ code: 'http_429', message: 'HTTP 429' });
    expect(submissionFailureCode(403, '  ')).toBe('http_403');
    expect(failureFacts('http_400:invalid_simulator_marker')).toEqual({
      step: 'submission',
      httpStatus: 400,
      upstreamCode: 'invalid_simulator_marker',
    });
  });

  it.each<[number, string | null, FailureKind, FailureAction]>([
    // A 400 with a code this app has never seen is still an invalid request: the status says so.
    [400, 'invalid_simulator_marker', 'invalid_request', 'edit_prompt'],
    [400, null, 'invalid_request', 'edit_prompt'],
    [422, 'something_new', 'invalid_request', 'edit_prompt'],
    [404, 'model_not_found', 'invalid_request', 'edit_prompt'],
    // A code that is more precise than the status wins.
    [400, 'moderation_blocked', 'moderation', 'edit_prompt'],
    [429, 'insufficient_quota', 'quota', 'retry'],
    [402, null, 'quota', 'retry'],
    [401, 'invalid_api_key', 'access_denied', 'retry'],
    [403, null, 'access_denied', 'retry'],
    [429, null, 'unavailable', 'retry'],
    // An "internal error" code on a 400 does not make the request right.
    [400, 'internal_error', 'invalid_request', 'edit_prompt'],
  ])('HTTP %i with code %j -> %s, offering %s first', (status, code, kind, primaryAction) => {
    const info = classifyFailure(submissionFailureCode(status, code));
    expect(info).toMatchObject({ kind, primaryAction, step: 'submission', httpStatus: status, autoRetryable: false });
  });

  it('a 400 at submission is explained as a refused request, never as a download problem', () => {
    const info = classifyFailure('http_400:invalid_simulator_marker');
    expect(info.title).toBe('The service rejected the request');
    expect(info.explanation).toContain('HTTP 400');
    expect(info.explanation).toContain('nothing was charged');
    expect(info.explanation).not.toMatch(/download/i);
    expect(info.advice).toMatch(/edit the prompt/i);
  });
});

describe('the message is never read', () => {
  it('classifyFailure takes the code alone: the same code gives the same answer, whatever the message said', () => {
    // Words that used to steer the old matcher ("download", "moderation", "not found") change nothing now.
    expect(classifyFailure.length).toBe(1);
    expect(classifyFailure('http_400:invalid_simulator_marker').kind).toBe('invalid_request');
    expect(classifyFailure('server_error').kind).toBe('upstream_error');
  });
});

describe('troubleshooting text and the first action', () => {
  it.each<[string, RegExp, FailureAction]>([
    ['moderation_blocked', /rephrase the prompt/i, 'edit_prompt'],
    ['invalid_request_error', /edit the prompt/i, 'edit_prompt'],
    ['insufficient_quota', /quota and billing/i, 'retry'],
    ['job_not_found', /retry/i, 'retry'],
    ['stuck_timeout', /retry/i, 'retry'],
    ['server_error', /retry/i, 'retry'],
    ['download_failed', /retry/i, 'retry'],
    ['unheard_of', /retry/i, 'retry'],
  ])('%s advises %s and offers %s', (code, advice, primaryAction) => {
    const info = classifyFailure(code);
    expect(info.advice).toMatch(advice);
    expect(info.primaryAction).toBe(primaryAction);
    expect(info.title.length).toBeGreaterThan(0);
    expect(info.explanation.length).toBeGreaterThan(0);
  });

  it('cancelled has its own plain explanation', () => {
    const info = classifyFailure('job_cancelled');
    expect(info).toMatchObject({ kind: 'cancelled', autoRetryable: false, title: 'The job was cancelled' });
    expect(info.advice).toMatch(/retry/i);
  });
});

describe('shouldAutoRetry', () => {
  it.each<[string | null, boolean, boolean]>([
    // Expired (or vanished) before producing a video: the service lost it, try again.
    ['job_expired', false, true],
    ['job_not_found', false, true],
    // Expired after producing it: not collected in time; a new paid attempt is the user's call.
    ['job_expired', true, false],
    ['job_not_found', true, false],
    // Cancelled: someone meant it.
    ['job_cancelled', false, false],
    ['job_cancelled', true, false],
    // Everything else follows its kind, whatever the attempt produced.
    ['server_error', false, true],
    ['server_error', true, true],
    ['stuck_timeout', false, true],
    ['moderation_blocked', false, false],
    ['insufficient_quota', false, false],
    ['download_failed', true, false],
    ['http_400:invalid_simulator_marker', false, false],
    ['http_429', false, false],
    [null, false, false],
  ])('%s (produced a video: %s) -> %s', (code, producedVideo, expected) => {
    expect(shouldAutoRetry({ code }, { producedVideo })).toBe(expected);
  });
});

describe('hasUpstreamJobEnded for a failed attempt, by its code', () => {
  it.each<[string | null, boolean]>([
    // This application stopped waiting; the job may still run (and be billed) upstream.
    ['stuck_timeout', false],
    ['create_not_confirmed', false],
    [' STUCK_TIMEOUT ', false],
    // Upstream's own verdict, a vanished job, a finished one, or one never created.
    ['job_expired', true],
    ['job_cancelled', true],
    ['job_not_found', true],
    ['moderation_blocked', true],
    ['internal_error', true],
    ['download_failed', true],
    ['invalid_request_error', true],
    ['http_400:invalid_simulator_marker', true],
    ['rate_limit_exceeded', true],
    ['something_new', true],
    [null, true],
  ])('%j -> %s', (code, ended) => {
    expect(hasUpstreamJobEnded({ status: 'failed', errorCode: code, createOutcome: 'confirmed', progress: 50 })).toBe(ended);
  });

  it('names the codes this application writes itself', () => {
    expect(FAILURE_CODES).toMatchObject({
      stuckTimeout: 'stuck_timeout',
      createNotConfirmed: 'create_not_confirmed',
    });
  });
});
