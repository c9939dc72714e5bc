import { describe, expect, it } from 'vitest';
import { APP_ERROR_CODES, AppError, isAppError } from '../../src/domain';

describe('AppError', () => {
  it('carries code, user-facing message and options', () => {
    const cause = new Error('socket hang up');
    const error = new AppError('UPSTREAM_UNAVAILABLE', 'Try again soon.', {
      cause,
      retryAfterMs: 5000,
      field: 'prompt',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AppError');
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toBe('Try again soon.');
    expect(error.cause).toBe(cause);
    expect(error.retryAfterMs).toBe(5000);
    expect(error.field).toBe('prompt');
  });

  it('leaves optional fields undefined', () => {
    const error = new AppError('NOT_FOUND', 'Video not found.');
    expect(error.cause).toBeUndefined();
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.field).toBeUndefined();
  });

  it.each(APP_ERROR_CODES)('accepts code %s', (code) => {
    expect(isAppError(new AppError(code, 'x'))).toBe(true);
  });
});

describe('isAppError', () => {
  const lookalike = Object.assign(new Error('from another bundle'), { name: 'AppError', code: 'CONFLICT' });
  const wrongCode = Object.assign(new Error('x'), { name: 'AppError', code: 'TEAPOT' });

  it.each([
    ['a plain Error', new Error('x'), false],
    ['a string', 'AppError', false],
    ['null', null, false],
    [
      'an object shaped like one but not an Error',
      { name: 'AppError', code: 'CONFLICT', message: 'x' },
      false,
    ],
    ['an AppError from another copy of the module', lookalike, true],
    ['a lookalike with an unknown code', wrongCode, false],
  ])('%s -> %s', (_name, value, expected) => {
    expect(isAppError(value)).toBe(expected);
  });
});
