import {
  isOneOf,
  optionalString,
  parsePrompt,
  rejectUnknownFiles,
  rejectUnknownParameters,
} from './create-params';
import { invalidRequest, invalidValue } from './errors';
import { parseVideoReference, requireVideoUpload, type VideoReference } from './reference-params';
import type { RequestFields } from './request-body';

/** Allowed lengths of an extension segment (openai 6.x `VideoExtendParams.seconds`). */
export const EXTENSION_SECONDS = ['4', '8', '12', '16', '20'] as const;
export const MAX_CHARACTER_NAME_LENGTH = 80;

export interface EditParams {
  prompt: string;
  video: VideoReference;
}

export interface ExtendParams extends EditParams {
  seconds: (typeof EXTENSION_SECONDS)[number];
}

/** POST /videos/edits: `prompt` and the `video` to edit ({ id } of a completed video, or an upload). */
export function parseEditParams(request: RequestFields): EditParams {
  rejectUnknownParameters(request.fields, ['prompt', 'video']);
  rejectUnknownFiles(request.files, ['video']);
  return { prompt: parsePrompt(request.fields.prompt), video: parseVideoReference(request) };
}

/** POST /videos/extensions: `prompt`, the `video` to extend, and `seconds` of new footage (required). */
export function parseExtendParams(request: RequestFields): ExtendParams {
  rejectUnknownParameters(request.fields, ['prompt', 'seconds', 'video']);
  rejectUnknownFiles(request.files, ['video']);
  const prompt = parsePrompt(request.fields.prompt);
  const seconds = optionalString('seconds', request.fields.seconds);
  if (seconds === undefined)
    throw invalidRequest("Missing required parameter: 'seconds'.", 'seconds', 'missing_required_parameter');
  if (!isOneOf(seconds, EXTENSION_SECONDS)) throw invalidValue('seconds', seconds, EXTENSION_SECONDS);
  return { prompt, seconds, video: parseVideoReference(request) };
}

/** POST /videos/characters: a display `name` and the uploaded `video` it is made from. */
export function parseCharacterParams(request: RequestFields): { name: string } {
  rejectUnknownParameters(request.fields, ['name', 'video']);
  rejectUnknownFiles(request.files, ['video']);
  const name = optionalString('name', request.fields.name);
  if (name === undefined)
    throw invalidRequest("Missing required parameter: 'name'.", 'name', 'missing_required_parameter');
  if (name.trim() === '' || name.length > MAX_CHARACTER_NAME_LENGTH) {
    throw invalidRequest(
      `Invalid 'name': expected 1 to ${MAX_CHARACTER_NAME_LENGTH} characters, got ${name.length}.`,
      'name',
      'invalid_value',
    );
  }
  requireVideoUpload(request);
  return { name };
}
