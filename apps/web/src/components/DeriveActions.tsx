import { EXTENSION_SECONDS, PROMPT_MAX_LENGTH, type ExtensionSeconds } from '@sora-monitor/core/domain';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { errorCode, errorMessage, fieldErrors } from '../lib/errors';
import { invalidateVideoList } from '../lib/video-list';
import { trpc } from '../trpc';
import { CostEstimate } from './CostEstimate';
import { FieldError } from './FieldError';

type Operation = 'remix' | 'extend' | 'edit';

/** What the new video is made from, as far as its price needs it: a derived video keeps the source's model and size. */
interface DeriveSource {
  id: string;
  model: string;
  size: string;
  seconds: number;
}

const LABELS: Record<Operation, { button: string; hint: string; submit: string }> = {
  remix: { button: 'Remix', hint: 'A new video from this one, changed as the prompt says.', submit: 'Start remix' },
  extend: { button: 'Extend', hint: 'A longer video: this one followed by new footage.', submit: 'Start extension' },
  edit: { button: 'Edit', hint: 'A new video with this one edited as the prompt says.', submit: 'Start edit' },
};

/**
 * Remix / Extend / Edit a completed video: only the operations its model supports are offered. Each makes a new
 * video (generated and billed like any other, its cost shown before it starts) and opens its page.
 */
export function DeriveActions({ source, operations }: { source: DeriveSource; operations: Record<Operation, boolean> }) {
  const offered = (['remix', 'extend', 'edit'] as const).filter((operation) => operations[operation]);
  const [open, setOpen] = useState<Operation | null>(null);
  if (offered.length === 0) return null;
  return (
    <div className="derive" data-testid="derive-actions">
      <div className="derive-choices">
        {offered.map((operation) => (
          <button key={operation} type="button" className="button" aria-expanded={open === operation} onClick={() => setOpen(open === operation ? null : operation)}>
            {LABELS[operation].button}
          </button>
        ))}
      </div>
      {open ? <DeriveForm key={open} source={source} operation={open} /> : null}
    </div>
  );
}

function DeriveForm({ source, operation }: { source: DeriveSource; operation: Operation }) {
  const videoId = source.id;
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [prompt, setPrompt] = useState('');
  const [seconds, setSeconds] = useState<ExtensionSeconds>(EXTENSION_SECONDS[0]);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const remix = trpc.sora.remix.useMutation();
  const edit = trpc.sora.edit.useMutation();
  const extend = trpc.sora.extend.useMutation();
  const busy = remix.isPending || edit.isPending || extend.isPending;
  const models = trpc.system.models.useQuery(undefined, { staleTime: 5 * 60_000 });
  const spend = trpc.sora.spendToday.useQuery();
  const promptId = useId();
  const costId = useId();
  // An extension is priced on its whole length, the source's seconds plus the new footage, as the spend cap counts it.
  const pricedSeconds = operation === 'extend' ? source.seconds + seconds : source.seconds;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    try {
      const video =
        operation === 'extend'
          ? await extend.mutateAsync({ videoId, prompt, seconds })
          : await (operation === 'remix' ? remix : edit).mutateAsync({ videoId, prompt });
      await invalidateVideoList(queryClient);
      navigate(`/videos/${video.id}`);
    } catch (error) {
      const byField = fieldErrors(error);
      if (byField.prompt || byField.seconds) setErrors(byField);
      else setFormError(errorMessage(error));
      if (errorCode(error) === 'FORBIDDEN') void spend.refetch();
    }
  };

  return (
    <form className="derive-form" onSubmit={(event) => void onSubmit(event)} noValidate aria-label={LABELS[operation].button}>
      <p className="hint">{LABELS[operation].hint}</p>
      <label htmlFor={promptId}>New prompt</label>
      <textarea
        id={promptId}
        name="derive-prompt"
        rows={3}
        maxLength={PROMPT_MAX_LENGTH}
        value={prompt}
        onChange={(event) => setPrompt(event.target.value)}
        aria-invalid={errors.prompt ? true : undefined}
        aria-describedby={`${promptId}-error`}
      />
      <FieldError id={`${promptId}-error`} messages={errors.prompt} />
      {operation === 'extend' ? (
        <fieldset className="choices choices-inline">
          <legend>New footage</legend>
          {EXTENSION_SECONDS.map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="extend-seconds" checked={seconds === value} onChange={() => setSeconds(value)} />
              <span className="choice-title">{value} seconds</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <CostEstimate
        id={costId}
        model={source.model}
        size={source.size}
        seconds={pricedSeconds}
        models={models.data}
        spend={spend.data}
        secondsNote={operation === 'extend' ? `this video's ${source.seconds} s and ${seconds} s of new footage` : undefined}
      />
      {formError ? (
        <p className="callout callout-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy} aria-describedby={costId}>
          {busy ? 'Starting…' : LABELS[operation].submit}
        </button>
      </div>
    </form>
  );
}
