// What a user may ask for: the values the Videos API accepts (openai SDK: VideoModel, VideoSize,
// VideoSeconds) and our own input limits. Shared by the router's input schema and the web form.

/** Models offered to users. Dated snapshots (e.g. `sora-2-2025-10-06`) are accepted and treated as their base. */
export const MODELS = ['sora-2', 'sora-2-pro'] as const;
export type Model = (typeof MODELS)[number];

/** Output resolutions, width x height. */
export const SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'] as const;
export type Size = (typeof SIZES)[number];

/** The large sizes are sora-2-pro only. */
export const SIZES_BY_MODEL: Readonly<Record<Model, readonly Size[]>> = {
  'sora-2': ['720x1280', '1280x720'],
  'sora-2-pro': SIZES,
};

/** Clip durations in seconds. The SDK sends them as strings ('4' | '8' | '12'): see `toSdkSeconds`. */
export const SECONDS = [4, 8, 12] as const;
export type Seconds = (typeof SECONDS)[number];
export type SdkSeconds = `${Seconds}`;

export const DEFAULTS: Readonly<{ model: Model; size: Size; seconds: Seconds }> = {
  model: 'sora-2',
  size: '720x1280',
  seconds: 4,
};

/**
 * The Videos API documents no prompt limit. We cap prompts at 2,000 characters: a good Sora prompt is a
 * paragraph or two (shot, subject, action, style), far below this; the cap keeps a paste accident from
 * being sent (and billed), and bounds what is stored and repeated in audit rows and the UI.
 */
export const PROMPT_MAX_LENGTH = 2000;

/** A video's title, shown in lists. */
export const TITLE_MAX_LENGTH = 200;

// sora-2 or sora-2-pro, optionally followed by a snapshot date.
const MODEL_PATTERN = /^(sora-2(?:-pro)?)(?:-\d{4}-\d{2}-\d{2})?$/;

/** The base model of a model id (`sora-2-pro-2025-10-06` -> `sora-2-pro`); null for a model we do not know. */
export function baseModel(model: string): Model | null {
  const match = MODEL_PATTERN.exec(model);
  return (match?.[1] as Model | undefined) ?? null;
}

export function isModel(value: string): value is Model {
  return (MODELS as readonly string[]).includes(value);
}

export function isSize(value: string): value is Size {
  return (SIZES as readonly string[]).includes(value);
}

export function isSeconds(value: number): value is Seconds {
  return (SECONDS as readonly number[]).includes(value);
}

/** Whether `model` (base or dated) can render `size`; false for an unknown model or size. */
export function isSizeAllowed(model: string, size: string): boolean {
  const base = baseModel(model);
  return base !== null && (SIZES_BY_MODEL[base] as readonly string[]).includes(size);
}

export function toSdkSeconds(seconds: Seconds): SdkSeconds {
  return `${seconds}`;
}
