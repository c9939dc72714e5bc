import { describe, expect, it } from 'vitest';
import { isUnknownStatusMessage, unknownStatusMessage, unknownStatusNotice } from '../../src/domain';

const outcomeFor = (rawStatus: string) => ({
  kind: 'unknown_status' as const,
  rawStatus,
  message: unknownStatusMessage(rawStatus),
});

describe('unknownStatusMessage', () => {
  it('tells the user what the service reports', () => {
    expect(unknownStatusMessage('paused')).toBe(
      "The video service reports 'paused', a status this app does not recognise; your video is still being tracked.",
    );
  });

  it('removes control characters and cuts long values', () => {
    expect(unknownStatusMessage('pa\nus\u0000ed')).toContain("reports 'pa us ed'");
    const long = unknownStatusMessage('x'.repeat(500));
    expect(long).toContain(`'${'x'.repeat(40)}…'`);
    expect(long.length).toBeLessThan(200);
  });

  it('is recognised as a note, unlike transient errors', () => {
    expect(isUnknownStatusMessage(unknownStatusMessage('paused'))).toBe(true);
    expect(isUnknownStatusMessage('The video service is temporarily unavailable; …')).toBe(false);
    expect(isUnknownStatusMessage('Connection error.')).toBe(false);
    expect(isUnknownStatusMessage(null)).toBe(false);
  });
});

describe('unknownStatusNotice: once per job, not once per poll', () => {
  it('first sighting: log it, note it, one audit event with the raw status', () => {
    const notice = unknownStatusNotice(null, 'queued', outcomeFor('paused'));
    expect(notice).toEqual({
      firstSighting: true,
      note: unknownStatusMessage('paused'),
      event: {
        type: 'upstream_status_unknown',
        fromStatus: 'queued',
        toStatus: 'queued',
        message: unknownStatusMessage('paused'),
        data: { upstreamStatus: 'paused' },
      },
    });
  });

  it('the same status on the next poll: noted already, nothing to log or audit', () => {
    const first = unknownStatusNotice(null, 'in_progress', outcomeFor('paused'));
    const again = unknownStatusNotice(first.note, 'in_progress', outcomeFor('paused'));
    expect(again).toEqual({ firstSighting: false, note: first.note, event: null });
  });

  it('a different unknown status, or one after a transient error, is reported again', () => {
    const paused = unknownStatusNotice(null, 'in_progress', outcomeFor('paused')).note;
    expect(unknownStatusNotice(paused, 'in_progress', outcomeFor('on_hold')).firstSighting).toBe(true);
    expect(
      unknownStatusNotice('The video service is temporarily unavailable', 'in_progress', outcomeFor('paused'))
        .firstSighting,
    ).toBe(true);
  });
});
