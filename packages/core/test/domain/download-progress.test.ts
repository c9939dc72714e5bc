import { describe, expect, it } from 'vitest';
import {
  downloadProgressEvent,
  downloadProgressFromData,
  formatBytes,
  shouldRecordDownloadProgress,
} from '../../src/domain';

const MB = 1024 * 1024;

describe('shouldRecordDownloadProgress', () => {
  it.each<[string, { at: number; bytes: number } | null, number, number | null, number, boolean]>([
    ['the first chunk', null, 10, 100 * MB, 0, true],
    ['too soon after the last record', { at: 0, bytes: 0 }, 50 * MB, 100 * MB, 999, false],
    ['a second later, 5% more', { at: 0, bytes: 0 }, 5 * MB, 100 * MB, 1_000, true],
    ['a second later, less than 5% more', { at: 0, bytes: 0 }, 4 * MB, 100 * MB, 5_000, false],
    ['unknown total: 1 MB more', { at: 0, bytes: MB }, 2 * MB, null, 1_000, true],
    ['unknown total: less than 1 MB more', { at: 0, bytes: MB }, 2 * MB - 1, null, 1_000, false],
  ])('%s', (_name, last, bytes, totalBytes, now, expected) => {
    expect(shouldRecordDownloadProgress(last, { bytes, totalBytes }, now)).toBe(expected);
  });
});

describe('download progress events', () => {
  it('round-trips through the event data', () => {
    const event = downloadProgressEvent({ bytes: 512, totalBytes: 2048 });
    expect(event).toMatchObject({ type: 'download_progress', fromStatus: 'in_progress', toStatus: 'in_progress' });
    expect(downloadProgressFromData(event.data)).toEqual({ bytes: 512, totalBytes: 2048 });
  });
  it.each([null, {}, { bytes: 'x' }, { bytes: -1 }])('reads %j as no progress', (data) => {
    expect(downloadProgressFromData(data)).toBeNull();
  });
  it('reads a missing total as unknown', () => {
    expect(downloadProgressFromData({ bytes: 5, totalBytes: null })).toEqual({ bytes: 5, totalBytes: null });
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [10 * 1024, '10 KB'],
    [3.4 * 1024 * 1024, '3.4 MB'],
    [120 * 1024 * 1024, '120 MB'],
    [5 * 1024 ** 4, '5120 GB'],
  ])('%d bytes read as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
