import { classifyFailure, type FailureKind } from './failures';
import { countsTowardSpend, RESET_ERROR_CODE, type AttemptFacts } from './job-ended';
import { attemptSpendCents, type SpendCapPricing } from './spend-cap';
import { calendarDays } from './usage-days';

/** A group of one user's attempts requested on one day (in their time zone) alike in price and outcome. */
export interface UsageAttemptGroup {
  day: string;
  model: string;
  size: string;
  seconds: number;
  status: AttemptFacts['status'];
  errorCode: string | null;
  createOutcome: string;
  /** Upstream had reported the job done (progress 100). */
  produced: boolean;
  count: number;
}

export interface DailySpend {
  day: string;
  totalUsd: number;
  /** USD per model; models without spend that day are absent. */
  byModel: Record<string, number>;
}

export interface DailyOutcomes {
  day: string;
  completed: number;
  /** Attempts the user reset (their job abandoned, possibly still billed). */
  reset: number;
  /** Still queued or generating. */
  active: number;
  /** Failed attempts by kind (`classifyFailure`); kinds without failures that day are absent. */
  failed: Partial<Record<FailureKind, number>>;
}

export interface FailureReason {
  kind: FailureKind;
  /** The plain-language title the video page shows for this kind. */
  title: string;
  count: number;
  /** The stored error codes behind it, most frequent first. */
  codes: string[];
}

export interface UsageTotals {
  spend: DailySpend[];
  outcomes: DailyOutcomes[];
  failureReasons: FailureReason[];
  /** Every model with spend in the range, most spent first (the chart's stack order). */
  models: string[];
  rangeSpentUsd: number;
  monthSpentUsd: number;
  /** completed / (completed + failed) in the range, resets and running attempts left out; null when none ended. */
  successRate: number | null;
}

const isReset = (group: UsageAttemptGroup) => group.status === 'failed' && group.errorCode?.trim().toLowerCase() === RESET_ERROR_CODE;

function spendCents(group: UsageAttemptGroup, pricing: SpendCapPricing): number {
  const facts = { ...group, progress: group.produced ? 100 : 0 };
  return countsTowardSpend(facts) ? attemptSpendCents(group, pricing) * group.count : 0;
}

/**
 * The usage page's charts from grouped attempts: spend as the daily cap counts it, outcomes per day, failure
 * reasons ranked. Days run from `firstDay` to `today`; groups before `firstDay` count only toward the month.
 */
export function summarizeUsage(
  groups: readonly UsageAttemptGroup[],
  window: { firstDay: string; today: string; monthStart: string },
  pricing: SpendCapPricing,
): UsageTotals {
  const days = calendarDays(window.firstDay, window.today);
  const spendCentsByDay = new Map(days.map((day) => [day, new Map<string, number>()]));
  const outcomes = new Map(days.map((day): [string, DailyOutcomes] => [day, { day, completed: 0, reset: 0, active: 0, failed: {} }]));
  const reasons = new Map<FailureKind, { count: number; codes: Map<string, number> }>();
  const modelCents = new Map<string, number>();
  let monthCents = 0;
  let completed = 0;
  let failed = 0;

  for (const group of groups) {
    const cents = spendCents(group, pricing);
    if (group.day >= window.monthStart) monthCents += cents;
    const daySpend = spendCentsByDay.get(group.day);
    const dayOutcomes = outcomes.get(group.day);
    if (!daySpend || !dayOutcomes) continue;
    if (cents > 0) {
      daySpend.set(group.model, (daySpend.get(group.model) ?? 0) + cents);
      modelCents.set(group.model, (modelCents.get(group.model) ?? 0) + cents);
    }
    if (group.status === 'completed') {
      dayOutcomes.completed += group.count;
      completed += group.count;
    } else if (isReset(group)) {
      dayOutcomes.reset += group.count;
    } else if (group.status === 'failed') {
      const kind = classifyFailure(group.errorCode).kind;
      dayOutcomes.failed[kind] = (dayOutcomes.failed[kind] ?? 0) + group.count;
      failed += group.count;
      const reason = reasons.get(kind) ?? { count: 0, codes: new Map<string, number>() };
      reason.count += group.count;
      const code = group.errorCode ?? 'unknown';
      reason.codes.set(code, (reason.codes.get(code) ?? 0) + group.count);
      reasons.set(kind, reason);
    } else {
      dayOutcomes.active += group.count;
    }
  }

  const spend = days.map((day): DailySpend => {
    const byModel = Object.fromEntries([...spendCentsByDay.get(day)!].map(([model, cents]) => [model, cents / 100]));
    const totalCents = [...spendCentsByDay.get(day)!.values()].reduce((sum, cents) => sum + cents, 0);
    return { day, totalUsd: totalCents / 100, byModel };
  });
  const rangeCents = [...modelCents.values()].reduce((sum, cents) => sum + cents, 0);
  return {
    spend,
    outcomes: [...outcomes.values()],
    failureReasons: rankReasons(reasons),
    models: [...modelCents].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([model]) => model),
    rangeSpentUsd: rangeCents / 100,
    monthSpentUsd: monthCents / 100,
    successRate: completed + failed === 0 ? null : completed / (completed + failed),
  };
}

function rankReasons(reasons: Map<FailureKind, { count: number; codes: Map<string, number> }>): FailureReason[] {
  return [...reasons]
    .map(([kind, reason]) => ({
      kind,
      title: classifyFailure(firstCode(reason.codes)).title,
      count: reason.count,
      codes: [...reason.codes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code]) => code),
    }))
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}

const firstCode = (codes: Map<string, number>) => [...codes.keys()][0] ?? null;
