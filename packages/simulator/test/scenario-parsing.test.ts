import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCENARIO_MARKERS, parseScenario } from '../src/index';
import { defaultScenario } from '../src/scenarios';

describe('parseScenario', () => {
  it('is the default scenario for a prompt without markers', () => {
    expect(parseScenario('A calm lake at dawn [not a marker]')).toEqual(defaultScenario());
  });

  it('reads every marker, anywhere in the prompt, combined', () => {
    const scenario = parseScenario(
      '[sim:slow] a [sim:duration=1500] b [sim:fail=moderation_blocked][sim:stuck=40][sim:expire-after=3][sim:flap-503]' +
        '[sim:429-burst=2][sim:lost-create][sim:slow-download=800][sim:download-reset][sim:unknown-status][sim:size-mb=2.5][sim:faults-for=2]' +
        '[sim:retention=9000][sim:cancel-after=700][sim:thumbnail-503=3][sim:timestamps=iso]',
    );
    expect(scenario).toEqual({
      slow: true,
      durationMs: 1500,
      fail: { code: 'moderation_blocked', message: 'Your request was blocked by our moderation system.' },
      stuckAt: 40,
      expireAfterPolls: 3,
      flap503: true,
      burst429: 2,
      lostCreate: true,
      slowDownload: { totalMs: 800 },
      downloadReset: true,
      unknownStatus: true,
      sizeMb: 2.5,
      faultsFor: 2,
      retentionMs: 9000,
      cancelAfterMs: 700,
      thumbnail503: 3,
      timestamps: 'iso',
    });
  });

  it('gives optional values their defaults', () => {
    expect(parseScenario('[sim:fail]').fail).toEqual({
      code: 'internal_error',
      message: expect.stringContaining('internal error'),
    });
    expect(parseScenario('[sim:slow-download]').slowDownload).toEqual({ totalMs: null });
  });

  it.each([
    ['[sim:bogus]', /Unknown simulator marker/],
    ['[sim:slow=2]', /takes no value/],
    ['[sim:stuck]', /needs a value/],
    ['[sim:stuck=101]', /0-100/],
    ['[sim:duration=0]', /above 0/],
    ['[sim:duration=1.5]', /whole number/],
    ['[sim:429-burst=-1]', /whole number/],
    ['[sim:retention=0]', /above 0/],
    ['[sim:cancel-after]', /needs a value/],
    ['[sim:timestamps=hours]', /ms or iso/],
    ['[sim:size-mb=0]', /above 0/],
    ['[sim:fail=has space]', /error code/],
  ])('rejects %s with a message that names the problem', (prompt, message) => {
    expect(() => parseScenario(prompt)).toThrow(message);
  });

  it('reads [sim:thumbnail-503=N] as the number of thumbnail downloads that answer 503', () => {
    expect(parseScenario('A pier [sim:thumbnail-503=2]').thumbnail503).toBe(2);
    expect(() => parseScenario('A pier [sim:thumbnail-503]')).toThrow(/thumbnail-503/);
  });

  it('documents every marker it understands', () => {
    const documented = SCENARIO_MARKERS.map((marker) => marker.syntax.match(/\[sim:([a-z0-9-]+)/)?.[1]);
    expect(documented).toEqual([
      'slow',
      'duration',
      'fail',
      'stuck',
      'expire-after',
      'flap-503',
      '429-burst',
      'lost-create',
      'slow-download',
      'download-reset',
      'thumbnail-503',
      'unknown-status',
      'size-mb',
      'faults-for',
      'retention',
      'cancel-after',
      'timestamps',
    ]);
  });

  it('has every marker in the README table', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const { syntax } of SCENARIO_MARKERS) expect(readme).toContain(`| \`${syntax}\``);
  });
});
