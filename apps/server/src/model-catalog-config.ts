import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createModelCatalog, DEFAULT_MODEL_CATALOG, quickCatalogModel, type CatalogModel, type ModelCatalog } from '@sora-monitor/core/domain';
import { z } from 'zod';

/*
 * The model catalog from the environment: the built-in sora-2 and sora-2-pro unless the operator lists models, in the
 * quick form (VIDEO_MODELS=name,name) and/or the full form (MODEL_CATALOG=models.json, described in docs/UPSTREAMS.md).
 * A bad list or file stops start-up naming the variable, the file, the entry and the field at fault.
 */

/** As `videos.create` accepts them (packages/core/src/routers/schemas.ts). */
const NAME_MAX_LENGTH = 200;
const SIZE_PATTERN = /^\d{1,5}x\d{1,5}$/;
const SECONDS_MAX = 3_600;

const modelName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(NAME_MAX_LENGTH, `must be at most ${NAME_MAX_LENGTH} characters`)
  .regex(/^[^\s,\p{Cc}]+$/u, 'must not contain spaces, commas or control characters');

const usdPerSecond = z.number().min(0, 'must not be negative').max(100, 'must be at most 100 (US dollars per second)');

const catalogEntrySchema = z
  .strictObject({
    name: modelName,
    label: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    description: z.string().trim().max(300, 'must be at most 300 characters').optional(),
    sizes: z
      .array(z.string().regex(SIZE_PATTERN, 'must be WIDTHxHEIGHT such as 1280x720'))
      .min(1, 'must list at least one size')
      .refine((sizes) => new Set(sizes).size === sizes.length, 'must not list a size twice'),
    seconds: z
      .array(z.number().int('must be whole seconds').min(1, 'must be at least 1').max(SECONDS_MAX, `must be at most ${SECONDS_MAX}`))
      .min(1, 'must list at least one duration')
      .refine((seconds) => new Set(seconds).size === seconds.length, 'must not list a duration twice'),
    /** One price for every size, a price per size, or null / left out: unknown (shown as unknown, never invented). */
    pricePerSecondUsd: z.union([usdPerSecond, z.record(z.string(), usdPerSecond), z.null()]).optional(),
    operations: z.strictObject({ remix: z.boolean().optional(), extend: z.boolean().optional(), edit: z.boolean().optional() }).optional(),
  })
  .superRefine((entry, ctx) => {
    const price = entry.pricePerSecondUsd;
    if (price === null || price === undefined || typeof price === 'number') return;
    for (const size of Object.keys(price)) {
      if (!entry.sizes.includes(size)) ctx.addIssue({ code: 'custom', path: ['pricePerSecondUsd', size], message: `prices a size the model does not list (${entry.sizes.join(', ')})` });
    }
  });

const catalogFileSchema = z.strictObject({
  models: z.array(catalogEntrySchema).min(1, 'must list at least one model'),
});

type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/** USD to cents, keeping fractions of a cent ($0.035 -> 3.5) without float noise. */
const toCents = (usd: number) => Math.round(usd * 1_000_000) / 10_000;

function toCatalogModel(entry: CatalogEntry): CatalogModel {
  const price = entry.pricePerSecondUsd;
  const centsPerSecond =
    price === null || price === undefined
      ? null
      : Object.fromEntries(
          typeof price === 'number' ? entry.sizes.map((size) => [size, toCents(price)]) : Object.entries(price).map(([size, usd]) => [size, toCents(usd)]),
        );
  return {
    name: entry.name,
    label: entry.label ?? entry.name,
    description: entry.description ?? null,
    sizes: entry.sizes,
    seconds: entry.seconds,
    centsPerSecond,
    operations: { remix: false, extend: false, edit: false, ...entry.operations },
  };
}

export class CatalogConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'CatalogConfigError';
  }
}

/** Where an issue is: `models[1] ("veo-3").sizes[0]`. */
function issueLocation(issuePath: readonly PropertyKey[], raw: unknown): string {
  const [top, index, ...rest] = issuePath;
  if (top !== 'models' || typeof index !== 'number') return issuePath.map(String).join('.') || '(the file)';
  const entries = (raw as { models?: unknown[] }).models;
  const name = (entries?.[index] as { name?: unknown } | undefined)?.name;
  const entry = `models[${index}]${typeof name === 'string' ? ` (${JSON.stringify(name)})` : ''}`;
  return [entry, ...rest.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))].join('').replace('.[', '[');
}

/** Reads and validates a MODEL_CATALOG file; throws CatalogConfigError naming the file, entry and field. */
export function readCatalogFile(file: string): CatalogModel[] {
  const where = `MODEL_CATALOG=${JSON.stringify(file)}`;
  let text: string;
  try {
    text = readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new CatalogConfigError([`${where}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CatalogConfigError([`${where}: not valid JSON (${(error as Error).message})`]);
  }
  const parsed = catalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CatalogConfigError(parsed.error.issues.map((issue) => `${where}: ${issueLocation(issue.path, raw)}: ${issue.message}`));
  }
  return parsed.data.models.map(toCatalogModel);
}

/** The names of VIDEO_MODELS, or the problems with them. */
function parseModelList(value: string): { names: string[]; problems: string[] } {
  const names: string[] = [];
  const problems: string[] = [];
  for (const item of value.split(',')) {
    const checked = modelName.safeParse(item);
    if (!checked.success) problems.push(`VIDEO_MODELS=${JSON.stringify(value)}: ${JSON.stringify(item.trim())} ${checked.error.issues[0]!.message}`);
    else names.push(checked.data);
  }
  return { names, problems };
}

/**
 * The catalog for VIDEO_MODELS and MODEL_CATALOG: the file's models first, then the quick-form names; the built-in
 * catalog when neither is set. A name listed twice (in either or both) is refused.
 */
export function loadModelCatalog(env: { VIDEO_MODELS?: string | undefined; MODEL_CATALOG?: string | undefined }): ModelCatalog {
  const list = env.VIDEO_MODELS?.trim();
  const file = env.MODEL_CATALOG?.trim();
  if (!list && !file) return DEFAULT_MODEL_CATALOG;
  const fromFile = file ? readCatalogFile(file) : [];
  const { names, problems } = list ? parseModelList(list) : { names: [], problems: [] };
  const models = [...fromFile, ...names.map(quickCatalogModel)];
  const seen = new Set<string>();
  for (const model of models) {
    if (seen.has(model.name)) problems.push(`${file && list ? 'MODEL_CATALOG and VIDEO_MODELS list' : file ? `MODEL_CATALOG=${JSON.stringify(file)} lists` : 'VIDEO_MODELS lists'} ${model.name} twice`);
    seen.add(model.name);
  }
  if (problems.length > 0) throw new CatalogConfigError(problems);
  return createModelCatalog(models);
}
