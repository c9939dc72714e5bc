import type { StatusView } from '@sora-monitor/core/client';
import { TRPCClientError } from '@sora-monitor/core/client';
import { describe, expect, it } from 'vitest';
import { followGeneration, type GenerationFeed, type StreamHandlers } from '../src/follow';

let clock = Date.parse('2026-05-01T12:00:00Z');
function view(
  status: StatusView['status'],
  progress: number,
  overrides: Partial<StatusView> = {},
): StatusView {
  clock += 1_000;
  return {
    videoId: '6c1f1f0e-3c7a-4b8e-9a37-1d7f6c9b9a01',
    status,
    progress,
    videoUrl: null,
    thumbnailUrl: null,
    error: null,
    errorCode: null,
    message: '',
    temporarilyUnavailable: false,
    rateLimited: false,
    nextCheckAt: null,
    jobId: 'video_1',
    startedAt: null,
    completedAt: null,
    progressChangedAt: null,
    cost: null,
    autoRetryAt: null,
    updatedAt: new Date(clock).toISOString(),
    ...overrides,
  };
}

/** A feed whose status answers come from a script and whose stream the test drives by hand. */
function scriptedFeed(answers: (StatusView | Error)[]) {
  const state = { polls: 0, unsubscribed: false, stream: null as StreamHandlers | null };
  const feed: GenerationFeed = {
    status: async () => {
      const answer = answers[Math.min(state.polls, answers.length - 1)]!;
      state.polls += 1;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    subscribe(handlers) {
      state.stream = handlers;
      return () => {
        state.unsubscribed = true;
      };
    },
  };
  return { feed, state };
}

const unauthorized = () =>
  TRPCClientError.from({
    error: { message: 'Sign in to continue.', code: -32001, data: { code: 'UNAUTHORIZED', httpStatus: 401 } },
  });

describe('followGeneration', () => {
  it('follows the stream to the end, dropping views older than the newest one', async () => {
    const first = view('queued', 0);
    const { feed, state } = scriptedFeed([first]);
    const seen: [string, number, string][] = [];
    const done = followGeneration(feed, {
      signal: new AbortController().signal,
      refreshMs: 60_000,
      onUpdate: (update, mode) => seen.push([update.status, update.progress, mode]),
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    state.stream!.onConnected();
    const stale = view('queued', 0, { updatedAt: new Date(clock - 60_000).toISOString() });
    state.stream!.onData(view('in_progress', 40));
    state.stream!.onData(stale);
    state.stream!.onData(view('completed', 100));
    expect(await done).toMatchObject({ status: 'completed' });
    expect(seen).toEqual([
      ['queued', 0, 'stream'],
      ['in_progress', 40, 'stream'],
      ['completed', 100, 'stream'],
    ]);
    expect(state.unsubscribed).toBe(true);
    expect(state.polls).toBe(1);
  });

  it('falls back to polling sora.status when the stream fails, until the generation ends', async () => {
    const { feed, state } = scriptedFeed([
      view('queued', 0),
      view('in_progress', 30),
      new Error('blip'),
      view('in_progress', 70),
      view('failed', 70, { error: 'boom' }),
    ]);
    const modes: string[] = [];
    const done = followGeneration(feed, {
      signal: new AbortController().signal,
      pollMs: 5,
      refreshMs: 60_000,
      onUpdate: (_update, mode) => modes.push(mode),
    });
    state.stream!.onError(new Error('The live update stream ended.'));
    expect(await done).toMatchObject({ status: 'failed', error: 'boom' });
    expect(state.polls).toBe(5); // the transient error in between was ridden out
    expect(modes.slice(1)).toEqual(['polling', 'polling', 'polling']);
  });

  it('stops at once on errors retrying cannot fix, and on the first failed request', async () => {
    const { feed, state } = scriptedFeed([view('queued', 0)]);
    const rejected = followGeneration(feed, {
      signal: new AbortController().signal,
      refreshMs: 60_000,
      onUpdate: () => {},
    });
    state.stream!.onError(unauthorized());
    await expect(rejected).rejects.toThrow('Sign in to continue.');

    const down = scriptedFeed([new Error('fetch failed')]);
    await expect(
      followGeneration(down.feed, { signal: new AbortController().signal, onUpdate: () => {} }),
    ).rejects.toThrow('fetch failed');
  });

  it('stops when aborted (Ctrl-C)', async () => {
    const { feed, state } = scriptedFeed([view('in_progress', 10)]);
    const controller = new AbortController();
    const following = followGeneration(feed, { signal: controller.signal, pollMs: 5, onUpdate: () => {} });
    controller.abort(new Error('interrupted'));
    await expect(following).rejects.toThrow('interrupted');
    expect(state.unsubscribed).toBe(true);
  });
});
