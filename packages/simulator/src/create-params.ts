import type { AcceptedModel } from './dialects/dialect';
import { invalidRequest, invalidType, invalidValue, listOf } from './errors';
import { checkInputReference } from './reference-params';
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

export interface CreateParams {
  prompt: string;
  model: VideoModel;
  seconds: VideoSeconds;
  size: VideoSize;
}

/**
 * Validates a create request the way the upstream API does, with the same defaults (sora-2, 4 s, 720x1280). The
 * model is checked by the dialect (Sora names, Azure deployments, LiteLLM aliases).
 */
export function parseCreateParams(
  request: RequestFields,
  acceptModel: (model: string) => AcceptedModel,
): CreateParams {
  const { fields, files } = request;
  rejectUnknownParameters(fields, ['prompt', 'model', 'seconds', 'size', 'input_reference']);
  rejectUnknownFiles(files, ['input_reference']);
  checkInputReference(request);

  const prompt = parsePrompt(fields.prompt);
  const { model, soraBase } = acceptModel(optionalString('model', fields.model) ?? 'sora-2');

  const seconds = optionalString('seconds', fields.seconds) ?? '4';
  if (!isOneOf(seconds, VIDEO_SECONDS)) throw invalidValue('seconds', seconds, VIDEO_SECONDS);

  const size = optionalString('size', fields.size) ?? '720x1280';
  if (!isOneOf(size, VIDEO_SIZES)) throw invalidValue('size', size, VIDEO_SIZES);
  if (soraBase === 'sora-2' && PRO_ONLY_SIZES.includes(size)) {
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
  rejectUnknownFiles(files, []);
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

export function optionalString(param: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidType(param, 'a string', value);
  return value;
}

/** Multipart sends nested objects as `input_reference[image_url]`; those belong to their top-level parameter. */
export function rejectUnknownParameters(fields: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(fields)) {
    const topLevel = key.split('[', 1)[0] ?? key;
    if (!allowed.includes(topLevel)) throw unknownParameter(key);
  }
}

export function rejectUnknownFiles(files: readonly { field: string }[], allowed: readonly string[]): void {
  const stray = files.find((file) => !allowed.includes(file.field));
  if (stray) throw unknownParameter(stray.field);
}

export function unknownParameter(name: string) {
  return invalidRequest(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
}

export function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}
