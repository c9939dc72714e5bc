import type { RouterOutputs } from '../../trpc';

export type UsageReport = RouterOutputs['usage']['report'];
export type UsageCharts = UsageReport['charts'];
export type UsageSummary = UsageReport['summary'];
