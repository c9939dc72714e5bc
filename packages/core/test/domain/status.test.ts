import { describe, expect, it } from 'vitest';
import {
  ACTIVE_STATUSES,
  GENERATION_STATUSES,
  TERMINAL_STATUSES,
  isActive,
  isTerminal,
  mapUpstreamStatus,
  type GenerationStatus,
} from '../../src/domain';

describe('mapUpstreamStatus', () => {
  it.each([
    ['queued', 'queued'],
    ['in_progress', 'in_progress'],
    ['processing', 'in_progress'],
    ['completed', 'completed'],
    ['succeeded', 'completed'],
    ['failed', 'failed'],
    ['error', 'failed'],
    // Gateways differ in case and padding; the meaning does not.
    ['COMPLETED', 'completed'],
    ['  In_Progress ', 'in_progress'],
    // Statuses seen from gateways (the whole table is in upstream-status.test.ts).
    ['cancelled', 'failed'],
    ['pending', 'queued'],
    ['not_started', 'queued'],
    // Anything else: the caller keeps the status and tells the user what the service reports.
    ['paused', null],
    ['', null],
    ['constructor', null],
    ['toString', null],
    ['__proto__', null],
  ] as const)('%j -> %j', (upstream, expected) => {
    expect(mapUpstreamStatus(upstream)).toBe(expected);
  });
});

describe('active and terminal statuses', () => {
  it.each<[GenerationStatus, boolean, boolean]>([
    ['not_started', false, false],
    ['queued', true, false],
    ['in_progress', true, false],
    ['completed', false, true],
    ['failed', false, true],
  ])('%s: active %s, terminal %s', (status, active, terminal) => {
    expect(isActive(status)).toBe(active);
    expect(isTerminal(status)).toBe(terminal);
    expect(ACTIVE_STATUSES.has(status)).toBe(active);
    expect(TERMINAL_STATUSES.has(status)).toBe(terminal);
  });

  it('lists every status once', () => {
    expect(new Set(GENERATION_STATUSES).size).toBe(5);
  });
});
