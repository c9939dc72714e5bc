import { FAILURE_KINDS, type FailureKind } from '@sora-monitor/core/domain';
import type { GenerationStatus } from '../trpc';

export const LIST_STATUSES = ['queued', 'in_progress', 'completed', 'failed', 'not_started'] as const satisfies readonly GenerationStatus[];
export const LIST_SORTS = ['created', 'updated', 'cost', 'duration'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export type ListOrder = 'desc' | 'asc';

/** What "My videos" shows, as the URL's search params carry it (so reload, back and a shared link keep it). */
export interface VideoListQuery {
  status?: GenerationStatus;
  /** The search text (`q`). */
  search?: string;
  model?: string;
  sort: ListSort;
  order: ListOrder;
  /** `stuck=1`. */
  stuck: boolean;
  /** `retrying=1`. */
  retrying: boolean;
  /** Local calendar days, YYYY-MM-DD, both included. */
  from?: string;
  to?: string;
  /** "Made from …" (`source`). */
  source?: string;
  /** Failed videos of one kind of failure (`failure`), as the usage page ranks them. */
  failure?: FailureKind;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the list's state from the URL; a value it does not know is ignored (the default applies). */
export function readListQuery(params: URLSearchParams): VideoListQuery {
  const pick = <T extends string>(values: readonly T[], value: string | null) => values.find((known) => known === value);
  const day = (value: string | null) => (value && DAY.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined);
  return {
    status: pick(LIST_STATUSES, params.get('status')),
    search: params.get('q')?.trim() || undefined,
    model: params.get('model') || undefined,
    sort: pick(LIST_SORTS, params.get('sort')) ?? 'created',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    stuck: params.get('stuck') === '1',
    retrying: params.get('retrying') === '1',
    from: day(params.get('from')),
    to: day(params.get('to')),
    source: UUID.test(params.get('source') ?? '') ? (params.get('source') ?? undefined) : undefined,
    failure: pick(FAILURE_KINDS, params.get('failure')),
  };
}

/** The URL's search params for `query`, defaults left out so a plain list has a plain URL. */
export function writeListQuery(query: VideoListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.search) params.set('q', query.search);
  if (query.status) params.set('status', query.status);
  if (query.model) params.set('model', query.model);
  if (query.stuck) params.set('stuck', '1');
  if (query.retrying) params.set('retrying', '1');
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.sort !== 'created') params.set('sort', query.sort);
  if (query.order !== 'desc') params.set('order', query.order);
  if (query.source) params.set('source', query.source);
  if (query.failure) params.set('failure', query.failure);
  return params;
}

/** Whether anything narrows the list (for the empty state's wording). */
export function isFiltered(query: VideoListQuery): boolean {
  return Boolean(query.status || query.search || query.model || query.stuck || query.retrying || query.from || query.to || query.source || query.failure);
}

/**
 * The router's input for `query`: local days become instants (the start of `from`, the start of the day after `to`),
 * in this browser's time zone, and a range the wrong way round is dropped rather than sent.
 */
export function listInput(query: VideoListQuery) {
  const createdFrom = query.from ? startOfLocalDay(query.from, 0) : undefined;
  const createdBefore = query.to ? startOfLocalDay(query.to, 1) : undefined;
  const ordered = !createdFrom || !createdBefore || createdFrom < createdBefore;
  return {
    status: query.status,
    search: query.search,
    model: query.model,
    sort: query.sort,
    order: query.order,
    stuck: query.stuck || undefined,
    retryingAutomatically: query.retrying || undefined,
    createdFrom: ordered ? createdFrom : undefined,
    createdBefore: ordered ? createdBefore : undefined,
    sourceVideoId: query.source,
    failureKind: query.failure,
  };
}

function startOfLocalDay(day: string, addDays: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + addDays).toISOString();
}
