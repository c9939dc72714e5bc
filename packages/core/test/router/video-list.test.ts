import { videos, type GenerationStatus } from '@sora-monitor/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/domain';
import { expectTRPCError, startHarness, type Harness, type TestUser } from './harness';

/*
 * videos.list's search, sorts, filters and keyset paging, and videos.counts, over 50 seeded videos with many ties
 * (equal timestamps, costs and lengths), so paging has to break ties by id to neither skip nor repeat a video.
 */

interface Seeded {
  id: string;
  title: string;
  prompt: string;
  model: string;
  seconds: number;
  status: GenerationStatus;
  cost: number | null;
  createdAt: Date;
  updatedAt: Date;
  autoRetryAt: Date | null;
  errorCode: string | null;
  stuckNow: boolean;
}

/** The codes of the failed videos 4, 14, 24, 34 and 44: two kinds each spelled two ways, and one stored without a code. */
const FAILED_CODES = ['server_error', 'http_400:moderation_blocked', 'moderation_blocked', 'SERVER_ERROR', null];
const STATUSES: GenerationStatus[] = ['not_started', 'queued', 'in_progress', 'completed', 'failed'];
const BASE = Date.parse('2026-06-01T00:00:00.000Z');
const HOUR = 3_600_000;

let h: Harness;
let ada: TestUser;
let seeded: Seeded[];

beforeAll(async () => {
  h = await startHarness();
  ada = await h.signUp('ada');
  const rows = Array.from({ length: 50 }, (_, i) => {
    const status = STATUSES[i % 5]!;
    return {
      userId: ada.id,
      title: i % 10 === 3 ? `Sunset over Lisbon ${i}` : `Clip ${i}`,
      prompt: i % 7 === 0 ? `A CAT at 50%_off sale, take ${i}` : `Waves on a beach, take ${i}`,
      model: i % 3 === 0 ? 'sora-2-pro' : 'sora-2',
      size: '720x1280',
      seconds: [4, 8, 12][i % 3]!,
      soraGenerationStatus: status,
      soraGenerationCost: status === 'not_started' ? null : [0.4, 0.8, 2.4][i % 3]!,
      // Pairs of videos share a creation instant; updates come in a different order.
      createdAt: new Date(BASE + Math.floor(i / 2) * HOUR),
      updatedAt: new Date(BASE + ((i * 17) % 50) * HOUR),
      autoRetryAt: status === 'failed' && i % 10 === 4 ? new Date(BASE + 100 * HOUR) : null,
      soraErrorCode: status === 'failed' ? (i % 10 === 9 ? 'stuck_timeout' : FAILED_CODES[(i - 4) / 10]!) : null,
      // Two generations with no progress for months: 2 is stuck now; 7's last status request went unanswered, so not.
      ...(i === 2 || i === 7
        ? { soraJobId: `job_${i}`, upstreamAnsweringSince: new Date(BASE), progressChangedAt: new Date(BASE), pollFailures: i === 7 ? 1 : 0 }
        : {}),
    };
  });
  const inserted = await h.db.db.insert(videos).values(rows).returning();
  seeded = inserted.map((v) => ({
    id: v.id,
    title: v.title,
    prompt: v.prompt,
    model: v.model,
    seconds: v.seconds,
    status: v.soraGenerationStatus,
    cost: v.soraGenerationCost,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    autoRetryAt: v.autoRetryAt,
    errorCode: v.soraErrorCode,
    stuckNow: v.soraJobId === 'job_2',
  }));
  // Someone else's videos never show.
  const bob = await h.signUp('bob');
  await h.db.db.insert(videos).values({ ...rows[0]!, userId: bob.id, title: 'Sunset over Lisbon (bob)' });
});
afterAll(() => h?.close());

type ListInput = Exclude<Parameters<TestUser['caller']['videos']['list']>[0], undefined>;

async function allPages(input: Omit<ListInput, 'cursor'>, limit = 7): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 60; pages++) {
    const page: { items: { id: string }[]; nextCursor: string | null } = await ada.caller.videos.list({
      ...input,
      limit,
      cursor,
    });
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('paging did not end');
}

const sortKey: Record<'created' | 'updated' | 'cost' | 'duration', (v: Seeded) => number> = {
  created: (v) => v.createdAt.getTime(),
  updated: (v) => v.updatedAt.getTime(),
  cost: (v) => v.cost ?? 0,
  duration: (v) => v.seconds,
};

/** The expected order: by key, ties by id (PostgreSQL orders uuids as their lowercase hex text). */
function expected(rows: Seeded[], sort: keyof typeof sortKey, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => sign * (sortKey[sort](a) - sortKey[sort](b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    .map((v) => v.id);
}

describe('videos.list sorts and pages', () => {
  for (const sort of ['created', 'updated', 'cost', 'duration'] as const) {
    for (const order of ['desc', 'asc'] as const) {
      it(`sort=${sort} order=${order}: every video once, in order, across pages of 7`, async () => {
        expect(await allPages({ sort, order })).toEqual(expected(seeded, sort, order));
      });
    }
  }

  it('defaults to newest first', async () => {
    const page = await ada.caller.videos.list({ limit: 50 });
    expect(page.items.map((v) => v.id)).toEqual(expected(seeded, 'created', 'desc'));
    expect(page.nextCursor).toBeNull();
  });

  it('shows each video cost', async () => {
    const page = await ada.caller.videos.list({ sort: 'cost', limit: 1 });
    expect(page.items[0]!.generation.cost).toBe(2.4);
  });
});

describe('videos.list filters', () => {
  it('searches title and prompt, case-insensitively, with % and _ as plain text', async () => {
    const sunsets = seeded.filter((v) => v.title.startsWith('Sunset'));
    expect(await allPages({ search: 'sunset OVER lisbon' })).toEqual(expected(sunsets, 'created', 'desc'));

    const cats = seeded.filter((v) => v.prompt.includes('CAT'));
    expect(await allPages({ search: 'a cat' })).toEqual(expected(cats, 'created', 'desc'));
    expect(await allPages({ search: '50%_off' })).toEqual(expected(cats, 'created', 'desc'));
    expect(await allPages({ search: '5_%' })).toEqual([]); // would match "50%" if _ and % were wildcards
    expect(await allPages({ search: '   ' })).toHaveLength(50); // blank: no search
  });

  it('filters by status, model, retrying automatically, stuck and date range, combined with a sort', async () => {
    const failedPro = seeded.filter((v) => v.status === 'failed' && v.model === 'sora-2-pro');
    expect(await allPages({ status: 'failed', model: 'sora-2-pro', sort: 'cost' }, 2)).toEqual(
      expected(failedPro, 'cost', 'desc'),
    );
    const activeOnes = seeded.filter((v) => v.status === 'queued' || v.status === 'in_progress');
    expect(await allPages({ status: ['queued', 'in_progress'], sort: 'updated', order: 'asc' })).toEqual(
      expected(activeOnes, 'updated', 'asc'),
    );

    const retrying = seeded.filter((v) => v.autoRetryAt !== null);
    expect(retrying.length).toBeGreaterThan(0);
    expect(await allPages({ retryingAutomatically: true })).toEqual(expected(retrying, 'created', 'desc'));

    // Stuck: stopped by the stuck check, or stuck right now by the database clock.
    const stuck = seeded.filter((v) => v.errorCode === 'stuck_timeout' || v.stuckNow);
    expect(stuck.filter((v) => v.status === 'in_progress')).toHaveLength(1);
    expect(await allPages({ stuck: true })).toEqual(expected(stuck, 'created', 'desc'));

    const from = new Date(BASE + 5 * HOUR);
    const before = new Date(BASE + 10 * HOUR);
    const inRange = seeded.filter((v) => v.createdAt >= from && v.createdAt < before);
    expect(inRange).toHaveLength(10);
    expect(
      await allPages({ createdFrom: from.toISOString(), createdBefore: '2026-06-01T12:00:00+02:00', sort: 'duration' }, 3),
    ).toEqual(expected(inRange, 'duration', 'desc'));
  });
});

describe('videos.list by kind of failure', () => {
  const ofKind = (kind: string) => seeded.filter((v) => v.status === 'failed' && classifyFailure(v.errorCode).kind === kind);

  it('lists the failed videos whose failure is of that kind, as classifyFailure tells it from the stored code', async () => {
    expect(ofKind('moderation').map((v) => v.errorCode).sort()).toEqual(['http_400:moderation_blocked', 'moderation_blocked']);
    expect(await allPages({ failureKind: 'moderation' })).toEqual(expected(ofKind('moderation'), 'created', 'desc'));
    expect(ofKind('upstream_error')).toHaveLength(2);
    expect(await allPages({ failureKind: 'upstream_error', sort: 'cost', order: 'asc' }, 1)).toEqual(
      expected(ofKind('upstream_error'), 'cost', 'asc'),
    );
    // A failure stored without a code is of the unknown kind.
    expect(await allPages({ failureKind: 'unknown' })).toEqual(expected(ofKind('unknown'), 'created', 'desc'));
    expect(ofKind('unknown')).toHaveLength(1);
    expect(await allPages({ failureKind: 'quota' })).toEqual([]);
    const either = [...ofKind('moderation'), ...ofKind('stuck_timeout')];
    expect(await allPages({ failureKind: ['moderation', 'stuck_timeout'] })).toEqual(expected(either, 'created', 'desc'));
    // Combined with the other filters.
    const proModeration = ofKind('moderation').filter((v) => v.model === 'sora-2-pro');
    expect(await allPages({ failureKind: 'moderation', model: 'sora-2-pro' })).toEqual(expected(proModeration, 'created', 'desc'));
    expect(await allPages({ failureKind: 'moderation', status: 'completed' })).toEqual([]);
  });

  it("never lists another user's failures", async () => {
    const carol = await h.signUp('carol');
    expect((await carol.caller.videos.list({ failureKind: 'moderation' })).items).toEqual([]);
  });
});

describe('videos.counts', () => {
  it('counts the user own videos per status, zeros included', async () => {
    const counts = await ada.caller.videos.counts();
    expect(counts).toEqual({
      byStatus: { not_started: 10, queued: 10, in_progress: 10, completed: 10, failed: 10 },
      total: 50,
    });
    const carol = await h.signUp('carol');
    expect(await carol.caller.videos.counts()).toEqual({
      byStatus: { not_started: 0, queued: 0, in_progress: 0, completed: 0, failed: 0 },
      total: 0,
    });
  });
});

describe('videos.list validation', () => {
  const refused = async (input: unknown) => {
    const { error } = await expectTRPCError(() => ada.caller.videos.list(input as ListInput));
    expect(error.code).toBe('BAD_REQUEST');
    return error.message;
  };

  it('names the problem', async () => {
    expect(await refused({ sort: 'title' })).toMatch(/sort must be one of created, updated, cost, duration/);
    expect(await refused({ order: 'up' })).toMatch(/order must be one of desc, asc/);
    expect(await refused({ search: 'x'.repeat(201) })).toMatch(/search must be at most 200 characters/);
    expect(await refused({ createdFrom: 'yesterday' })).toMatch(/createdFrom must be an ISO 8601 date-time/);
    expect(
      await refused({ createdFrom: '2026-06-02T00:00:00Z', createdBefore: '2026-06-01T00:00:00Z' }),
    ).toMatch(/createdBefore must be later than createdFrom/);
    expect(await refused({ status: 'done' })).toMatch(/status/);
    expect(await refused({ failureKind: 'gremlins' })).toMatch(/failureKind must be one of moderation, invalid_request, /);

    const byCost = await ada.caller.videos.list({ sort: 'cost', limit: 2 });
    expect(await refused({ sort: 'duration', cursor: byCost.nextCursor })).toMatch(
      /cursor belongs to sort=cost order=desc, not sort=duration order=desc/,
    );
    expect(await refused({ sort: 'cost', order: 'asc', cursor: byCost.nextCursor })).toMatch(/cursor belongs to/);
  });
});
