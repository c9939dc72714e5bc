import { describe, expect, it } from 'vitest';
import { classifyFailure, type FailureKind } from '../../src/domain';

describe('classifyFailure by code', () => {
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
    ['job_not_found', 'expired', false],
    ['video_expired', 'expired', false],
    ['stuck_timeout', 'stuck_timeout', true],
    ['download_failed', 'download', false],
    ['something_new', 'unknown', false],
  ])('%s -> %s (auto-retry %s)', (code, kind, autoRetryable) => {
    const info = classifyFailure(code, null);
    expect(info.kind).toBe(kind);
    expect(info.autoRetryable).toBe(autoRetryable);
  });

  it('the code wins over the message', () => {
    expect(classifyFailure('insufficient_quota', 'Blocked by moderation').kind).toBe('quota');
  });
});

describe('classifyFailure by message, when the code says nothing', () => {
  it.each<[string | null, string | null, FailureKind]>([
    [null, 'Your request was blocked by our moderation system.', 'moderation'],
    ['generic', 'This prompt violates our content policy.', 'moderation'],
    [null, 'You exceeded your current quota, please check your plan and billing details.', 'quota'],
    [null, 'Video download failed: HTTP 500', 'download'],
    [null, 'Job not found - may have expired', 'expired'],
    [null, 'Rate limit reached for requests', 'unavailable'],
    [null, 'The server had an internal error while processing your request.', 'upstream_error'],
    [null, 'Something odd happened.', 'unknown'],
    [null, null, 'unknown'],
    ['', '', 'unknown'],
    [undefined as unknown as null, undefined as unknown as null, 'unknown'],
  ])('(%j, %j) -> %s', (code, message, kind) => {
    expect(classifyFailure(code, message).kind).toBe(kind);
  });
});

describe('troubleshooting text', () => {
  it.each<[string, RegExp]>([
    ['moderation_blocked', /rephrase the prompt/i],
    ['invalid_request_error', /check the model, size and duration/i],
    ['insufficient_quota', /quota and billing/i],
    ['job_not_found', /retry/i],
    ['stuck_timeout', /retry/i],
    ['server_error', /retry/i],
    ['download_failed', /retry/i],
    ['rate_limit_exceeded', /wait.*automatically/i],
    ['unheard_of', /retry/i],
  ])('%s advises %s', (code, advice) => {
    const info = classifyFailure(code, null);
    expect(info.advice).toMatch(advice);
    expect(info.title.length).toBeGreaterThan(0);
    expect(info.explanation.length).toBeGreaterThan(0);
  });
});
