import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIProvider, type VideoProvider } from '../../src/provider';
import { json, startFakeGateway, type FakeGateway } from '../support/fake-gateway';

// Video objects shaped as gateways really send them, read through the real openai SDK over HTTP.
const ANSWERS: Record<string, unknown> = {
  // new-api style: upper-case status, progress as text with %, times in milliseconds.
  newapi: {
    id: 'task_newapi',
    status: 'IN_PROGRESS',
    progress: '45%',
    created_at: 1772366400123,
    model: 'sora-2',
    size: '720x1280',
    seconds: 8,
  },
  // ISO 8601 times, numeric-string progress, an unreadable completed_at.
  iso: {
    id: 'task_iso',
    status: 'SUCCESS',
    progress: ' 99.5 % ',
    created_at: '2026-03-01T12:00:00Z',
    completed_at: 'soon',
    expires_at: '2026-03-02T12:00:00+00:00',
  },
  // Almost nothing: only id and status.
  bare: { id: 'task_bare', status: 'pending' },
  // Garbage in every optional field.
  garbage: {
    id: 'task_garbage',
    status: 'failed',
    progress: { value: 3 },
    error: 'Upstream task failed',
    created_at: [],
    model: null,
    seconds: {},
    prompt: 7,
  },
  'no-status': { id: 'task_no_status', progress: 10 },
  'empty-id': { id: '', status: 'queued' },
};

const LISTED = [
  // Same parameters as the lost create, but no created_at: nothing proves it is newer than the request.
  { id: 'task_untimed', status: 'queued', prompt: 'A kite', model: 'sora-2', size: '720x1280', seconds: '4' },
  // Same parameters, created (in milliseconds) after the request: ours.
  {
    id: 'task_timed_ms',
    status: 'queued',
    prompt: 'A kite',
    model: 'sora-2',
    size: '720x1280',
    seconds: '4',
    created_at: 1772366460000,
  },
];

let gateway: FakeGateway;
let provider: VideoProvider;

beforeAll(async () => {
  gateway = await startFakeGateway((url) => {
    if (url.pathname === '/v1/videos') return json({ object: 'list', data: LISTED, has_more: false });
    const id = url.pathname.split('/').pop() ?? '';
    return id in ANSWERS
      ? json(ANSWERS[id])
      : json({ error: { message: 'Not found', code: 'not_found' } }, 404);
  });
  provider = createOpenAIProvider({ client: new OpenAI({ apiKey: 'test', baseURL: gateway.url }) });
});
afterAll(() => gateway?.close());

describe('retrieve reads gateway-shaped answers tolerantly', () => {
  it('new-api: upper-case status kept raw (the domain maps it), progress "45%" -> 45, created_at in ms', async () => {
    expect(await provider.retrieve('newapi')).toEqual({
      kind: 'video',
      video: {
        id: 'task_newapi',
        status: 'IN_PROGRESS',
        progress: 45,
        error: null,
        createdAt: new Date('2026-03-01T12:00:00.123Z'),
        completedAt: null,
        expiresAt: null,
        model: 'sora-2',
        size: '720x1280',
        seconds: '8',
        prompt: null,
      },
    });
  });

  it('ISO 8601 times; an unreadable completed_at is null, not a rejection of the answer', async () => {
    const result = await provider.retrieve('iso');
    expect(result).toMatchObject({
      kind: 'video',
      video: {
        status: 'SUCCESS',
        progress: 99,
        createdAt: new Date('2026-03-01T12:00:00Z'),
        completedAt: null,
        expiresAt: new Date('2026-03-02T12:00:00Z'),
      },
    });
  });

  it('only id and status: every optional field missing is tolerated', async () => {
    expect(await provider.retrieve('bare')).toMatchObject({
      kind: 'video',
      video: {
        id: 'task_bare',
        status: 'pending',
        progress: null,
        createdAt: null,
        model: '',
        size: '',
        seconds: '',
        prompt: null,
      },
    });
  });

  it('garbage in optional fields: each is dropped, the answer is kept; a bare error string is the message', async () => {
    expect(await provider.retrieve('garbage')).toMatchObject({
      kind: 'video',
      video: {
        id: 'task_garbage',
        status: 'failed',
        progress: null,
        createdAt: null,
        error: { code: null, message: 'Upstream task failed' },
        model: '',
        seconds: '',
        prompt: null,
      },
    });
  });

  it.each([
    ['no-status', 'status: missing or empty'],
    ['empty-id', 'id: missing or empty'],
  ])('%s: not a video (reported as a transient upstream problem, never a failed job)', async (id, detail) => {
    expect(await provider.retrieve(id)).toEqual({
      kind: 'unavailable',
      reason: 'server_error',
      retryAfterMs: null,
      status: null,
      message: `The video service sent an answer that is not a video (${detail})`,
    });
  });

  it('a 404 stays a 404 (the seed rule: the job fails as not found)', async () => {
    expect(await provider.retrieve('gone')).toMatchObject({ kind: 'not_found' });
  });
});

describe('findCreated (lost-create reconciliation) with gateway times', () => {
  const params = { prompt: 'A kite', model: 'sora-2', size: '720x1280', seconds: 4 };

  it('adopts the match whose created_at (in ms) is after the request, never the one without created_at', async () => {
    const since = new Date(1772366400000);
    expect(await provider.findCreated(params, since, new Set())).toMatchObject({ id: 'task_timed_ms' });
  });

  it('when the only match has no created_at, nothing is adopted', async () => {
    const since = new Date(1772366400000);
    expect(await provider.findCreated(params, since, new Set(['task_timed_ms']))).toBeNull();
  });
});
