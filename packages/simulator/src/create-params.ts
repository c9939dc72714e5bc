import { invalidRequest, invalidType, invalidValue, listOf } from './errors';
import type { RequestFields } from './request-body';
import {
  PRO_ONLY_SIZES,
  VIDEO_SECONDS,
  VIDEO_SIZES,
  type VideoModel,
  type VideoSeconds,
  type VideoSize,
} from './wire';

export const MAX_PROMPT_LENGTH = 32_000;
export const BASE_MODELS = ['sora-2', 'sora-2-pro'] as const;
/** Dated snapshots (`sora-2-2025-10-06`, `sora-2-pro-2025-10-06`…) are accepted like their base model. */
const MODEL_PATTERN = /^(sora-2(?:-pro)?)(?:-\d{4}-\d{2}-\d{2})?$/;
const REFERENCE_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export interface CreateParams {
  prompt: string;
  model: VideoModel;
  seconds: VideoSeconds;
  size: VideoSize;
}

/** Validates a create request the way the upstream API does, with the same defaults (sora-2, 4 s, 720x1280). */
export function parseCreateParams({ fields, files }: RequestFields): CreateParams {
  rejectUnknownParameters(fields, ['prompt', 'model', 'seconds', 'size', 'input_reference']);
  for (const file of files) {
    if (file.field !== 'input_reference') throw unknownParameter(file.field);
    if (!REFERENCE_IMAGE_TYPES.includes(file.mimetype)) {
      throw invalidRequest(
        `Invalid file type for 'input_reference': '${file.mimetype}'. Supported types are: ${listOf(REFERENCE_IMAGE_TYPES)}.`,
        'input_reference',
        'invalid_value',
      );
    }
  }

  const prompt = parsePrompt(fields.prompt);
  const model = optionalString('model', fields.model) ?? 'sora-2';
  const baseModel = MODEL_PATTERN.exec(model)?.[1];
  if (!baseModel) throw invalidValue('model', model, BASE_MODELS);

  const seconds = optionalString('seconds', fields.seconds) ?? '4';
  if (!isOneOf(seconds, VIDEO_SECONDS)) throw invalidValue('seconds', seconds, VIDEO_SECONDS);

  const size = optionalString('size', fields.size) ?? '720x1280';
  if (!isOneOf(size, VIDEO_SIZES)) throw invalidValue('size', size, VIDEO_SIZES);
  if (baseModel !== 'sora-2-pro' && PRO_ONLY_SIZES.includes(size)) {
    throw invalidRequest(
      `Invalid value: '${size}'. The model '${model}' supports only ${listOf(VIDEO_SIZES.filter((s) => !PRO_ONLY_SIZES.includes(s)))}; ${listOf(PRO_ONLY_SIZES)} need sora-2-pro.`,
      'size',
      'invalid_value',
    );
  }
  return { prompt, model, seconds, size };
}

/** A remix takes only a new prompt; model, size and duration come from the source video. */
export function parseRemixPrompt({ fields, files }: RequestFields): string {
  rejectUnknownParameters(fields, ['prompt']);
  const [file] = files;
  if (file) throw unknownParameter(file.field);
  return parsePrompt(fields.prompt);
}

export function parsePrompt(value: unknown): string {
  if (value === undefined)
    throw invalidRequest("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
  if (typeof value !== 'string') throw invalidType('prompt', 'a string', value);
  if (value.trim() === '') {
    throw invalidRequest(
      "Invalid 'prompt': empty string. Expected a string with minimum length 1, but got an empty string instead.",
      'prompt',
      'empty_string',
    );
  }
  if (value.length > MAX_PROMPT_LENGTH) {
    throw invalidRequest(
      `Invalid 'prompt': string too long. Expected a string with maximum length ${MAX_PROMPT_LENGTH}, but got a string with length ${value.length} instead.`,
      'prompt',
      'string_above_max_length',
    );
  }
  return value;
}

function optionalString(param: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidType(param, 'a string', value);
  return value;
}

/** Multipart sends nested objects as `input_reference[image_url]`; those belong to their top-level parameter. */
function rejectUnknownParameters(fields: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(fields)) {
    const topLevel = key.split('[', 1)[0] ?? key;
    if (!allowed.includes(topLevel)) throw unknownParameter(key);
  }
}

function unknownParameter(name: string) {
  return invalidRequest(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}
