import { findCatalogModel, PROMPT_MAX_LENGTH, TITLE_MAX_LENGTH, type ModelCatalog } from '@sora-monitor/core/domain';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { CostEstimate } from '../components/CostEstimate';
import { FieldError } from '../components/FieldError';
import { imageProblem, ReferenceImagePicker, type PickedImage } from '../components/ReferenceImagePicker';
import { SimulatorMarkers } from '../components/SimulatorMarkers';
import { errorCode, errorMessage, fieldErrors } from '../lib/errors';
import { formatSize } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { invalidateVideoList } from '../lib/video-list';
import { trpc } from '../trpc';

/** New video: prompt and the settings the API accepts, the cost before starting, then straight to its page. */
export function NewVideoPage() {
  useDocumentTitle('New video');
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  // "Duplicate" on a video's page opens this form filled with that video's prompt and settings.
  const [duplicate] = useState(readDuplicate);
  const [title, setTitle] = useState(duplicate?.title ?? '');
  const [prompt, setPrompt] = useState(duplicate?.prompt ?? '');
  // Exactly the models this server offers (its catalog); null until chosen means the catalog's default.
  const models = trpc.system.models.useQuery(undefined, { staleTime: 5 * 60_000 });
  const [chosen, setChosen] = useState<{ model: string; size: string; seconds: number } | null>(duplicate?.options ?? null);
  const [image, setImage] = useState<PickedImage | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // One step: a start the spend cap or the rate limit refuses leaves no empty video behind.
  const start = trpc.sora.createAndGenerate.useMutation();
  const spend = trpc.sora.spendToday.useQuery();
  const busy = start.isPending;
  const ids = { title: useId(), prompt: useId(), promptHelp: useId(), cost: useId() };

  const catalog: ModelCatalog | null = models.data ? { models: models.data.models } : null;
  const first = catalog?.models[0];
  const { model, size, seconds } = chosen ?? { model: first?.name ?? '', size: first?.sizes[0] ?? '', seconds: first?.seconds[0] ?? 0 };
  const entry = catalog ? findCatalogModel(catalog, model) : null;
  // Sizes other models offer and this one does not: say which model renders them.
  const otherSizes = (catalog?.models ?? []).flatMap((other) => other.sizes.filter((value) => !entry?.sizes.includes(value)).map((value) => [value, other.name] as const));

  const chooseModel = (next: string) => {
    const nextEntry = catalog && findCatalogModel(catalog, next);
    if (!nextEntry) return;
    // A size or length the new model cannot render falls back to its default rather than failing on submit.
    setChosen({
      model: next,
      size: nextEntry.sizes.includes(size) ? size : nextEntry.sizes[0]!,
      seconds: nextEntry.seconds.includes(seconds) ? seconds : nextEntry.seconds[0]!,
    });
  };
  const choose = (change: Partial<{ size: string; seconds: number }>) => setChosen({ model, size, seconds, ...change });

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    // The picker already shows what is wrong with the image; nothing is sent until it is fixed or removed.
    if (imageProblem(image, size)) return focusFirstInvalid(event.currentTarget);
    let videoId: string;
    try {
      const video = await start.mutateAsync({ title: title.trim() ? title : undefined, prompt, model, size, seconds, image: image?.base64 });
      videoId = video.id;
    } catch (error) {
      const byField = fieldErrors(error);
      setErrors(byField);
      // Refused before anything was recorded (the daily spending limit, too many starts): nothing was saved.
      if (Object.keys(byField).length === 0) setFormError(errorMessage(error));
      else focusFirstInvalid(event.currentTarget);
      if (errorCode(error) === 'FORBIDDEN') void spend.refetch();
      return;
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
          {models.isPending ? <p className="hint">Loading the models this server offers…</p> : null}
          {models.error ? <p className="callout callout-error">Could not load the models: {errorMessage(models.error)}</p> : null}
          {catalog?.models.map((option) => (
            <label key={option.name} className="choice">
              <input type="radio" name="model" value={option.name} checked={model === option.name} onChange={() => chooseModel(option.name)} />
              <span className="choice-text">
                <span className="choice-title">{option.label}</span>
                <span className="choice-note">
                  {[option.description, option.label !== option.name ? `sent as ${option.name}` : null, option.centsPerSecond ? null : 'price unknown']
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </span>
            </label>
          ))}
          <FieldError id="model-error" messages={errors.model} />
        </fieldset>

        <fieldset className="field choices" aria-describedby="size-error">
          <legend>Size</legend>
          {(entry?.sizes ?? []).map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="size" value={value} checked={size === value} onChange={() => choose({ size: value })} />
              <span className="choice-text">
                <span className="choice-title">{formatSize(value)}</span>
                <span className="choice-note">{orientation(value)}</span>
              </span>
            </label>
          ))}
          {otherSizes.length > 0 ? <p className="hint">{sizeHint(otherSizes)}</p> : null}
          <FieldError id="size-error" messages={errors.size} />
        </fieldset>

        <fieldset className="field choices choices-inline" aria-describedby="seconds-error">
          <legend>Length</legend>
          {(entry?.seconds ?? []).map((value) => (
            <label key={value} className="choice">
              <input type="radio" name="seconds" value={value} checked={seconds === value} onChange={() => choose({ seconds: value })} />
              <span className="choice-title">{value} seconds</span>
            </label>
          ))}
          <FieldError id="seconds-error" messages={errors.seconds} />
        </fieldset>

        <ReferenceImagePicker image={image} size={size} serverErrors={errors.image} onChange={setImage} />

        <CostEstimate id={ids.cost} model={model} size={size} seconds={seconds} models={models.data} spend={spend.data} />

        {formError ? (
          <p id="form-error" className="callout callout-error" role="alert">
            {formError}
          </p>
        ) : null}

        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy || !entry} aria-describedby={ids.cost}>
            {start.isPending ? 'Starting…' : 'Start generation'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** "1024 × 1792 and 1792 × 1024 need sora-2-pro." for the sizes only other models render. */
function sizeHint(pairs: ReadonlyArray<readonly [size: string, model: string]>): string {
  const bySize = new Map<string, string[]>();
  for (const [size, model] of pairs) bySize.set(size, [...(bySize.get(size) ?? []), model]);
  const byModels = new Map<string, string[]>();
  for (const [size, models] of bySize) byModels.set(models.join(' or '), [...(byModels.get(models.join(' or ')) ?? []), formatSize(size)]);
  return [...byModels].map(([models, sizes]) => `${sizes.join(' and ')} ${sizes.length === 1 ? 'needs' : 'need'} ${models}.`).join(' ');
}

function orientation(size: string): string {
  const [width = 0, height = 0] = size.split('x').map(Number);
  return width > height ? 'Landscape' : 'Portrait';
}

function focusFirstInvalid(form: HTMLFormElement): void {
  // After React renders the messages.
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"], fieldset:has(.field-error) input')?.focus());
}

/** The video "Duplicate" was pressed on, from the history entry's state (gone after a reload into a new tab). */
function readDuplicate(): { title: string; prompt: string; options: { model: string; size: string; seconds: number } } | null {
  const state: unknown = window.history.state;
  const value = (state as { duplicate?: Record<string, unknown> } | null)?.duplicate;
  if (!value || typeof value.prompt !== 'string' || typeof value.model !== 'string' || typeof value.size !== 'string' || typeof value.seconds !== 'number') return null;
  return {
    title: typeof value.title === 'string' ? (`${value.title} (copy)`.length <= TITLE_MAX_LENGTH ? `${value.title} (copy)` : value.title) : '',
    prompt: value.prompt,
    options: { model: value.model, size: value.size, seconds: value.seconds },
  };
}
