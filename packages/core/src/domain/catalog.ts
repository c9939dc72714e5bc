// The model catalog: which models this server offers, with their sizes, durations and list prices. Built from the
// built-in entries or the operator's configuration at start-up and passed into the services as a value; everything
// here is pure (the browser shows the same catalog it gets from `system.models`).

/** The operations a model supports beyond a plain generation (for the remix/extend/edit features). */
export interface ModelOperations {
  remix: boolean;
  extend: boolean;
  edit: boolean;
}

export interface CatalogModel {
  /** What users pick, and what is sent upstream as `model`, unchanged (an Azure deployment, a LiteLLM alias…). */
  name: string;
  /** What the UI shows. */
  label: string;
  /** One line about the model, or null. */
  description: string | null;
  /** Output resolutions, `WIDTHxHEIGHT`; the first is the default. */
  sizes: readonly string[];
  /** Clip durations in whole seconds; the first is the default. */
  seconds: readonly number[];
  /** List price in US cents per second of video, by size; null when no honest price is known (never invented). */
  centsPerSecond: Readonly<Record<string, number>> | null;
  operations: ModelOperations;
}

/** The models offered, in display order; the first is the default. Never empty. */
export interface ModelCatalog {
  models: readonly CatalogModel[];
}

const SORA_2_SIZES = ['720x1280', '1280x720'] as const;
const SORA_2_PRO_SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'] as const;
const SORA_SECONDS = [4, 8, 12] as const;
const SORA_OPERATIONS: ModelOperations = { remix: true, extend: true, edit: true };

/** OpenAI's list prices: sora-2 $0.10/s; sora-2-pro $0.30/s at 720p sizes, $0.50/s at 1024x1792 and 1792x1024. */
export const BUILT_IN_MODELS: readonly CatalogModel[] = [
  {
    name: 'sora-2',
    label: 'sora-2',
    description: 'Fast, good for drafts and social clips.',
    sizes: SORA_2_SIZES,
    seconds: SORA_SECONDS,
    centsPerSecond: { '720x1280': 10, '1280x720': 10 },
    operations: SORA_OPERATIONS,
  },
  {
    name: 'sora-2-pro',
    label: 'sora-2-pro',
    description: 'Higher fidelity, larger sizes, slower and pricier.',
    sizes: SORA_2_PRO_SIZES,
    seconds: SORA_SECONDS,
    centsPerSecond: { '720x1280': 30, '1280x720': 30, '1024x1792': 50, '1792x1024': 50 },
    operations: SORA_OPERATIONS,
  },
];

/** The catalog when the operator configures none. */
export const DEFAULT_MODEL_CATALOG: ModelCatalog = { models: BUILT_IN_MODELS };

/**
 * A catalog of `models`, in order. Callers validate their input first (the server checks the operator's file with
 * zod, naming the entry and field); this only guards the invariants every lookup relies on.
 */
export function createModelCatalog(models: readonly CatalogModel[]): ModelCatalog {
  if (models.length === 0) throw new Error('A model catalog needs at least one model');
  const seen = new Set<string>();
  for (const model of models) {
    if (seen.has(model.name)) throw new Error(`The model catalog lists ${model.name} twice`);
    if (model.sizes.length === 0 || model.seconds.length === 0) throw new Error(`Model ${model.name} offers no size or no duration`);
    seen.add(model.name);
  }
  return { models };
}

// A dated snapshot: `sora-2-2025-10-06` is sora-2 as of that date, priced and shaped like it.
const SNAPSHOT_SUFFIX = /-\d{4}-\d{2}-\d{2}$/;

function snapshotBase(name: string): string | null {
  return SNAPSHOT_SUFFIX.test(name) ? name.replace(SNAPSHOT_SUFFIX, '') : null;
}

/**
 * The entry for a name in `VIDEO_MODELS` (the quick form): a built-in model, or a dated snapshot of one, keeps what
 * we know about it (sizes, durations, price); any other name gets sora-2's sizes and durations and no known price.
 */
export function quickCatalogModel(name: string): CatalogModel {
  const base = snapshotBase(name);
  const builtIn = BUILT_IN_MODELS.find((model) => model.name === name) ?? BUILT_IN_MODELS.find((model) => model.name === base);
  if (builtIn) return { ...builtIn, name, label: name };
  const sora2 = BUILT_IN_MODELS[0]!;
  return { name, label: name, description: null, sizes: sora2.sizes, seconds: sora2.seconds, centsPerSecond: null, operations: { remix: false, extend: false, edit: false } };
}

/** The catalog's entry for exactly this name, or null. */
export function findCatalogModel(catalog: ModelCatalog, name: string): CatalogModel | null {
  return catalog.models.find((model) => model.name === name) ?? null;
}

/**
 * The entry that describes `name` (its price, its operations): its own, else (a dated snapshot) its base model's;
 * null when neither is listed.
 */
export function catalogEntryFor(catalog: ModelCatalog, name: string): CatalogModel | null {
  const exact = findCatalogModel(catalog, name);
  if (exact) return exact;
  const base = snapshotBase(name);
  return base === null ? null : findCatalogModel(catalog, base);
}

/** The list price per second for a model and size in cents, or null when unknown (or the size is not offered). */
export function centsPerSecond(catalog: ModelCatalog, model: string, size: string): number | null {
  return catalogEntryFor(catalog, model)?.centsPerSecond?.[size] ?? null;
}

/** The highest list price per second the catalog knows, in cents; null when it knows none. */
export function highestCentsPerSecond(catalog: ModelCatalog): number | null {
  const prices = catalog.models.flatMap((model) => Object.values(model.centsPerSecond ?? {}));
  return prices.length === 0 ? null : Math.max(...prices);
}

/** The default model, size and duration: the catalog's first model with its first size and duration. */
export function defaultVideoOptions(catalog: ModelCatalog): { model: string; size: string; seconds: number } {
  const model = catalog.models[0]!;
  return { model: model.name, size: model.sizes[0]!, seconds: model.seconds[0]! };
}

export interface VideoOptionsIssue {
  field: 'model' | 'size' | 'seconds';
  message: string;
}

export type CheckedVideoOptions =
  | { ok: true; options: { model: string; size: string; seconds: number } }
  | { ok: false; issues: VideoOptionsIssue[] };

/**
 * Checks a requested model, size and duration against the catalog, filling what was left out with the defaults (the
 * model's first size and duration). Each problem names its field and what is offered instead.
 */
export function checkVideoOptions(
  catalog: ModelCatalog,
  requested: { model?: string | undefined; size?: string | undefined; seconds?: number | undefined },
): CheckedVideoOptions {
  const name = requested.model ?? catalog.models[0]!.name;
  const model = findCatalogModel(catalog, name);
  if (!model) {
    const offered = catalog.models.map((entry) => entry.name).join(', ');
    return { ok: false, issues: [{ field: 'model', message: `model must be one of ${offered} (the models this server offers)` }] };
  }
  const size = requested.size ?? model.sizes[0]!;
  const seconds = requested.seconds ?? model.seconds[0]!;
  const issues: VideoOptionsIssue[] = [];
  if (!model.sizes.includes(size)) {
    const others = catalog.models.filter((entry) => entry.sizes.includes(size)).map((entry) => entry.name);
    issues.push({
      field: 'size',
      message: others.length > 0 ? `size ${size} is only available with ${others.join(', ')}` : `size must be one of ${model.sizes.join(', ')} for ${model.name}`,
    });
  }
  if (!model.seconds.includes(seconds)) {
    issues.push({ field: 'seconds', message: `seconds must be one of ${model.seconds.join(', ')} for ${model.name}` });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, options: { model: model.name, size, seconds } };
}
