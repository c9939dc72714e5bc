import { generationCostUsd, PROMPT_MAX_LENGTH } from '@sora-monitor/core/domain';
import { useId, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { errorMessage, fieldErrors } from '../lib/errors';
import { formatSize, formatUsd } from '../lib/format';
import { trpc, type StatusView } from '../trpc';
import { FieldError } from './FieldError';

/** What a new attempt of this video costs at the catalog's list price: undefined while loading, null when unknown. */
export function useRetryCost(videoId: string): { costUsd: number | null | undefined; what: string | null } {
  // Both are already loaded by the page (react-query cache); nothing extra is fetched.
  const video = trpc.videos.get.useQuery({ videoId });
  const models = trpc.system.models.useQuery(undefined, { staleTime: 5 * 60_000 });
  if (!video.data || !models.data) return { costUsd: undefined, what: null };
  const { model, size, seconds } = video.data;
  return {
    costUsd: generationCostUsd(model, size, seconds, { models: models.data.models }),
    what: `${seconds} s of ${model} at ${formatSize(size)}`,
  };
}

/** "$0.40" / "price unknown" / "" while loading: the suffix of a retry button. */
export function costLabel(costUsd: number | null | undefined): string {
  if (costUsd === undefined) return '';
  return costUsd === null ? 'price unknown' : formatUsd(costUsd);
}

/** One line telling Reset and Retry apart, with the retry's price; `active`: a (stuck) job is still being followed. */
export function ResetOrRetry({ videoId, active }: { videoId: string; active: boolean }) {
  const { costUsd, what } = useRetryCost(videoId);
  const price = costUsd === undefined ? '' : costUsd === null ? ` (${what}, at a price this server does not know)` : ` (${formatUsd(costUsd)}: ${what})`;
  return (
    <p className="muted small" data-testid="reset-or-retry">
      {active
        ? `Retry stops following this job and starts a new, paid attempt now${price}; Reset only stops following it and starts nothing.`
        : `Retry starts a new, paid attempt now${price}; Reset only clears this failure, so nothing runs or is charged until you start again.`}
    </p>
  );
}

/** Opens the New video form filled with this video's prompt and settings. */
export function DuplicateButton({ videoId, disabled }: { videoId: string; disabled: boolean }) {
  const [, navigate] = useLocation();
  const video = trpc.videos.get.useQuery({ videoId });
  const data = video.data;
  return (
    <button
      type="button"
      className="button"
      disabled={disabled || !data}
      onClick={() =>
        data && navigate('/new', { state: { duplicate: { title: data.title, prompt: data.prompt, model: data.model, size: data.size, seconds: data.seconds } } })
      }
    >
      Duplicate
    </button>
  );
}

interface EditPromptRetryProps {
  videoId: string;
  onStarted: (next: StatusView) => Promise<void>;
  onCancel: () => void;
}

/** "Edit prompt and retry": the prompt, prefilled, and a new attempt started with what was written. */
export function EditPromptRetry({ videoId, onStarted, onCancel }: EditPromptRetryProps) {
  const video = trpc.videos.get.useQuery({ videoId });
  const retry = trpc.sora.retry.useMutation();
  const { costUsd } = useRetryCost(videoId);
  const [prompt, setPrompt] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[] | undefined>(undefined);
  const [formError, setFormError] = useState<string | null>(null);
  const ids = { prompt: useId(), help: useId() };
  const value = prompt ?? video.data?.prompt ?? '';

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors(undefined);
    setFormError(null);
    try {
      await onStarted(await retry.mutateAsync({ videoId, prompt: value }));
    } catch (caught) {
      const byField = fieldErrors(caught);
      if (byField.prompt) setErrors(byField.prompt);
      else setFormError(errorMessage(caught));
    }
  };

  const cost = costLabel(costUsd);
  return (
    <form className="form edit-prompt-retry" data-testid="edit-prompt-retry" onSubmit={(event) => void onSubmit(event)} noValidate>
      <div className="field">
        <label htmlFor={ids.prompt}>New prompt</label>
        <textarea
          id={ids.prompt}
          name="prompt"
          rows={4}
          value={value}
          autoFocus
          onChange={(event) => setPrompt(event.target.value)}
          aria-invalid={errors ? true : undefined}
          aria-describedby={`${ids.help} ${ids.prompt}-error`}
        />
        <p id={ids.help} className={`hint${value.length > PROMPT_MAX_LENGTH ? ' error-text' : ''}`}>
          The new attempt uses this prompt; the failed attempt keeps the one it sent. {value.length} / {PROMPT_MAX_LENGTH} characters.
        </p>
        <FieldError id={`${ids.prompt}-error`} messages={errors} />
      </div>
      {formError ? (
        <p className="callout callout-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={retry.isPending || !video.data}>
          {retry.isPending ? 'Starting…' : `Retry with this prompt${cost ? ` · ${cost}` : ''}`}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={retry.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
