import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  knownUpstreamStatuses,
  mapUpstreamStatus,
  normaliseUpstreamStatus,
  upstreamStatusKey,
  type UpstreamStatusMeaning,
} from '../../src/domain';

// Every status seen in the wild, exactly as the services spell it, and what it must mean.
const SEEN_IN_THE_WILD: readonly [string, UpstreamStatusMeaning][] = [
  // OpenAI Videos API (and Azure OpenAI v1, LiteLLM in its OpenAI dialect)
  ['queued', { status: 'queued' }],
  ['in_progress', { status: 'in_progress' }],
  ['completed', { status: 'completed' }],
  ['failed', { status: 'failed', ending: 'failed' }],
  // Sora past retention
  ['expired', { status: 'failed', ending: 'expired' }],
  // new-api / one-api gateways: upper case
  ['NOT_START', { status: 'queued' }],
  ['SUBMITTED', { status: 'queued' }],
  ['QUEUED', { status: 'queued' }],
  ['IN_PROGRESS', { status: 'in_progress' }],
  ['SUCCESS', { status: 'completed' }],
  ['FAILURE', { status: 'failed', ending: 'failed' }],
  // Other gateways and backends
  ['pending', { status: 'queued' }],
  ['PENDING', { status: 'queued' }],
  ['THROTTLED', { status: 'queued' }],
  ['not_started', { status: 'queued' }],
  ['processing', { status: 'in_progress' }],
  ['running', { status: 'in_progress' }],
  ['RUNNING', { status: 'in_progress' }],
  ['succeeded', { status: 'completed' }],
  ['SUCCEEDED', { status: 'completed' }],
  ['succeed', { status: 'completed' }],
  ['error', { status: 'failed', ending: 'failed' }],
  ['cancelled', { status: 'failed', ending: 'cancelled' }],
  ['canceled', { status: 'failed', ending: 'cancelled' }],
  ['CANCELLED', { status: 'failed', ending: 'cancelled' }],
];

describe('normaliseUpstreamStatus: the table', () => {
  it.each(SEEN_IN_THE_WILD)('%j -> %j', (upstream, meaning) => {
    expect(normaliseUpstreamStatus(upstream)).toEqual(meaning);
    expect(mapUpstreamStatus(upstream)).toBe(meaning.status);
  });

  it('the table holds exactly the statuses above (a new entry needs a test and a source)', () => {
    const tested = new Set(SEEN_IN_THE_WILD.map(([upstream]) => upstreamStatusKey(upstream)));
    expect([...knownUpstreamStatuses().keys()].sort()).toEqual([...tested].sort());
  });

  it.each([
    ['  In_Progress ', 'in_progress'],
    ['\tCOMPLETED\n', 'completed'],
    ['in-progress', 'in_progress'],
    ['In Progress', 'in_progress'],
    ['not-start', 'queued'],
  ] as const)('%j -> %s: case, padding and separators do not matter', (upstream, status) => {
    expect(mapUpstreamStatus(upstream)).toBe(status);
  });

  it.each([
    '',
    '   ',
    'paused',
    'UNKNOWN',
    'preprocessing',
    'complete',
    'cancel',
    'constructor',
    'toString',
    '__proto__',
    'hasOwnProperty',
  ])('%j is unknown: null, never a guess', (upstream) => {
    expect(normaliseUpstreamStatus(upstream)).toBeNull();
    expect(mapUpstreamStatus(upstream)).toBeNull();
  });
});

/** Any mix of upper and lower case of a string. */
const anyCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) =>
      Array.from(text, (char, i) => (upper[i] ? char.toUpperCase() : char.toLowerCase())).join(''),
    );
const padding = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \t ');

describe('normaliseUpstreamStatus: properties', () => {
  it('every known status means the same in any case with any surrounding whitespace', () => {
    const known = [...knownUpstreamStatuses().entries()];
    fc.assert(
      fc.property(
        fc
          .constantFrom(...known)
          .chain(([key, meaning]) =>
            fc
              .tuple(padding, anyCase(key), padding)
              .map(([before, spelled, after]) => [`${before}${spelled}${after}`, meaning] as const),
          ),
        ([upstream, meaning]) => {
          expect(normaliseUpstreamStatus(upstream)).toEqual(meaning);
        },
      ),
    );
  });

  it('any other text is unknown (null), and never throws', () => {
    const known = new Set(knownUpstreamStatuses().keys());
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 30 }).filter((text) => !known.has(upstreamStatusKey(text))),
        (upstream) => {
          expect(normaliseUpstreamStatus(upstream)).toBeNull();
        },
      ),
    );
  });

  it('failed always carries how the job ended; other statuses never do', () => {
    for (const meaning of knownUpstreamStatuses().values()) {
      expect('ending' in meaning).toBe(meaning.status === 'failed');
    }
  });
});
