import { USAGE_RANGE_DAYS, type UsageRangeDays } from '@sora-monitor/core/domain';
import { useSearchParams } from 'wouter';
import { DurationsChart } from '../components/usage/DurationsChart';
import { FailureReasons } from '../components/usage/FailureReasons';
import { OutcomesChart } from '../components/usage/OutcomesChart';
import { SpendChart } from '../components/usage/SpendChart';
import { SummaryNumbers } from '../components/usage/SummaryNumbers';
import { errorMessage } from '../lib/errors';
import { useDocumentTitle } from '../lib/use-document-title';
import { trpc } from '../trpc';

const DEFAULT_DAYS: UsageRangeDays = 30;

function parseDays(value: string | null): UsageRangeDays {
  return USAGE_RANGE_DAYS.find((days) => String(days) === value) ?? DEFAULT_DAYS;
}

/** The browser's time zone: days and months start at the user's own midnight. */
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Usage: what you spent, what failed and how long things took, over 7, 30 or 90 days (the range is in the URL). */
export function UsagePage() {
  useDocumentTitle('Usage');
  const [params, setParams] = useSearchParams();
  const days = parseDays(params.get('days'));
  const report = trpc.usage.report.useQuery({ days, timeZone: TIME_ZONE }, { placeholderData: (previous) => previous });

  return (
    <div className="page">
      <div className="page-head">
        <h1>Usage</h1>
        <div className="range-picker" role="group" aria-label="Range">
          {USAGE_RANGE_DAYS.map((option) => (
            <button
              key={option}
              type="button"
              className="button button-small"
              aria-pressed={option === days}
              onClick={() => setParams(option === DEFAULT_DAYS ? {} : { days: String(option) })}
            >
              {option} days
            </button>
          ))}
        </div>
      </div>
      <p className="muted small">
        Days in your time zone ({TIME_ZONE}), by the server’s clock. Spend is the list price, counted as the daily limit
        counts it; the limit itself resets at 00:00 UTC.
      </p>
      {report.isPending ? <p aria-busy="true">Loading…</p> : null}
      {report.error ? <p role="alert">{errorMessage(report.error)}</p> : null}
      {report.data ? (
        <div aria-busy={report.isFetching} data-testid="usage-report">
          <SummaryNumbers summary={report.data.summary} />
          <SpendChart charts={report.data.charts} />
          <OutcomesChart charts={report.data.charts} />
          <DurationsChart charts={report.data.charts} />
          <FailureReasons charts={report.data.charts} />
        </div>
      ) : null}
    </div>
  );
}
