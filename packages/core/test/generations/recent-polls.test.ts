import { describe, expect, it } from 'vitest';
import { createRecentPolls } from '../../src/generations/recent-polls';

describe('recent polls', () => {
  it('says a row is ours only while it carries the time of our latest poll of that video', () => {
    const polls = createRecentPolls();
    polls.note('a', 1_000);
    expect(polls.isOurs('a', 1_000)).toBe(true);
    // Another instance polled since: the row carries its time.
    expect(polls.isOurs('a', 1_500)).toBe(false);
    expect(polls.isOurs('a', null)).toBe(false);
    expect(polls.isOurs('b', 1_000)).toBe(false);
    polls.note('a', 2_000);
    expect(polls.isOurs('a', 1_000)).toBe(false);
    expect(polls.isOurs('a', 2_000)).toBe(true);
  });

  it('forgets the videos polled longest ago first, past its limit', () => {
    const polls = createRecentPolls(2);
    polls.note('a', 1);
    polls.note('b', 2);
    polls.note('a', 3); // a is now the most recent
    polls.note('c', 4);
    expect(polls.isOurs('b', 2)).toBe(false);
    expect(polls.isOurs('a', 3)).toBe(true);
    expect(polls.isOurs('c', 4)).toBe(true);
  });
});
