import {
  DEFAULTS,
  generationCostUsd,
  MODELS,
  PROMPT_MAX_LENGTH,
  SECONDS,
  SIZES_BY_MODEL,
  type Model,
  type Seconds,
  type Size,
} from '@sora-monitor/core/domain';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { FieldError } from '../components/FieldError';
import { SimulatorMarkers } from '../components/SimulatorMarkers';
import { errorCode, errorMessage, fieldErrors } from '../lib/errors';
import { formatSize, formatUsd } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { invalidateVideoList } from '../lib/video-list';
import { trpc } from '../trpc';

const MODEL_NOTES: Readonly<Record<Model, string>> = {
  'sora-2': 'Fast, good for drafts and social clips.',
  'sora-2-pro': 'Higher fidelity, larger sizes, slower and pricier.',
};

/** New video: prompt and the settings the API accepts, the cost before starting, then straight to its page. */
export function NewVideoPage() {
  useDocumentTitle('New video');
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [prompt, setPrompt] = useState('');
  const [model, setModel] = useState<Model>(DEFAULTS.model);
  const [size, setSize] = useState<Size>(DEFAULTS.size);
  const [seconds, setSeconds] = useState<Seconds>(DEFAULTS.seconds);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const create = trpc.videos.create.useMutation();
  const generate = trpc.sora.generate.useMutation();
  const busy = create.isPending || generate.isPending;
  const ids = { title: useId(), prompt: useId(), promptHelp: useId(), cost: useId() };

  const sizes = SIZES_BY_MODEL[model];
  const cost = generationCostUsd(model, size, seconds);
  const perSecond = generationCostUsd(model, size, 1);

  const chooseModel = (next: Model) => {
    setModel(next);
    // A size the new model cannot render falls back to the default rather than failing on submit.
    if (!SIZES_BY_MODEL[next].includes(size)) setSize(DEFAULTS.size);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    let videoId: string;
    try {
      const video = await create.mutateAsync({ title: title.trim() ? title : undefined, prompt, model, size, seconds });
      videoId = video.id;
    } catch (error) {
      const byField = fieldErrors(error);
      setErrors(byField);
      if (Object.keys(byField).length === 0) setFormError(errorMessage(error));
      else focusFirstInvalid(event.currentTarget);
      return;
    }
    try {
      await generate.mutateAsync({ videoId });
    } catch (error) {
      // Refused before anything was recorded (the daily spending limit, too many starts): the video's page could not
      // say why, so say it here. Other failures are recorded on the video, whose page explains them.
      const code = errorCode(error);
      if (code === 'FORBIDDEN' || code === 'TOO_MANY_REQUESTS') {
        setFormError(`${errorMessage(error)} The video was saved in My videos without starting.`);
        await invalidateVideoList(queryClient);
        return;
      }
    }
    await invalidateVideoList(queryClient);
    navigate(`/videos/${videoId}`);
  };

  return (
    <div className="page narrow">
      <h1>New video</h1>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate aria-describedby={formError ? 'form-error' : undefined}>
        <div className="field">
          <label htmlFor={ids.prompt}>Prompt</label>
          <textarea
            id={ids.prompt}
            name="prompt"
            rows={5}
            value={prompt}
            onChange={(event) => setPrompt(event.target.value)}
            aria-invalid={errors.prompt ? true : undefined}
            aria-describedby={`${ids.promptHelp} ${ids.prompt}-error`}
            placeholder="A paper boat drifting down a rain-soaked street at dusk, close-up, shallow depth of field"
          />
          <p id={ids.promptHelp} className={`hint${prompt.length > PROMPT_MAX_LENGTH ? ' error-text' : ''}`}>
            Describe the shot, the subject, the action and the style. {prompt.length} / {PROMPT_MAX_LENGTH} characters.
          </p>
          <FieldError id={`${ids.prompt}-error`} messages={errors.prompt} />
          <SimulatorMarkers onAdd={(marker) => setPrompt((current) => `${current.trim()} ${marker}`.trim())} />
        </div>

        <div className="field">
          <label htmlFor={ids.title}>
            Title <span className="muted">(optional)</span>
          </label>
          <input
            id={ids.title}
            name="title"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={`${ids.title}-error`}
            placeholder="Taken from the prompt when empty"
          />
          <FieldError id={`${ids.title}-error`} messages={errors.title} />
        </div>

        <fieldset className="field choices" aria-describedby="model-error">
          <legend>Model</legend>
          {MODELS.map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="model" value={value} checked={model === value} onChange={() => chooseModel(value)} />
              <span className="choice-text">
                <span className="choice-title">{value}</span>
                <span className="choice-note">{MODEL_NOTES[value]}</span>
              </span>
            </label>
          ))}
          <FieldError id="model-error" messages={errors.model} />
        </fieldset>

        <fieldset className="field choices" aria-describedby="size-error">
          <legend>Size</legend>
          {sizes.map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="size" value={value} checked={size === value} onChange={() => setSize(value)} />
              <span className="choice-text">
                <span className="choice-title">{formatSize(value)}</span>
                <span className="choice-note">{orientation(value)}</span>
              </span>
            </label>
          ))}
          {model === 'sora-2' ? <p className="hint">1024 × 1792 and 1792 × 1024 need sora-2-pro.</p> : null}
          <FieldError id="size-error" messages={errors.size} />
        </fieldset>

        <fieldset className="field choices choices-inline" aria-describedby="seconds-error">
          <legend>Length</legend>
          {SECONDS.map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="seconds" value={value} checked={seconds === value} onChange={() => setSeconds(value)} />
              <span className="choice-title">{value} seconds</span>
            </label>
          ))}
          <FieldError id="seconds-error" messages={errors.seconds} />
        </fieldset>

        <div className="estimate" id={ids.cost} aria-live="polite" data-testid="cost-estimate">
          <span className="estimate-label">Estimated cost</span>
          <strong className="estimate-value">{cost === null ? 'not available' : formatUsd(cost)}</strong>
          {cost !== null && perSecond !== null ? (
            <span className="muted small">
              {seconds} s × {formatUsd(perSecond)} per second ({model}, {formatSize(size)})
            </span>
          ) : null}
        </div>

        {formError ? (
          <p id="form-error" className="callout callout-error" role="alert">
            {formError}
          </p>
        ) : null}

        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy} aria-describedby={ids.cost}>
            {create.isPending ? 'Creating…' : generate.isPending ? 'Starting…' : 'Start generation'}
          </button>
        </div>
      </form>
    </div>
  );
}

function orientation(size: Size): string {
  const [width = 0, height = 0] = size.split('x').map(Number);
  return width > height ? 'Landscape' : 'Portrait';
}

function focusFirstInvalid(form: HTMLFormElement): void {
  // After React renders the messages.
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"], fieldset:has(.field-error) input')?.focus());
}
