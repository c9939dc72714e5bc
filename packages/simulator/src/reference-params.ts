import { invalidRequest, invalidType, listOf } from './errors';
import type { RequestFields, UploadedFile } from './request-body';

const REFERENCE_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const SOURCE_VIDEO_TYPES = ['video/mp4', 'video/quicktime', 'video/webm'];

/**
 * The object form of a parameter, however it came: a JSON object, or multipart's `name[key]` fields (how the SDK
 * sends `{ image_url }`). Undefined when the request has no object form of it.
 */
function objectParam(fields: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = fields[name];
  if (value !== undefined) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw invalidType(name, 'an object or a file', value);
    return value as Record<string, unknown>;
  }
  const nested = Object.entries(fields).filter(([key]) => key.startsWith(`${name}[`));
  if (nested.length === 0) return undefined;
  return Object.fromEntries(nested.map(([key, item]) => [key.slice(name.length + 1, -1), item]));
}

function uploadOf(files: UploadedFile[], name: string, types: readonly string[]): UploadedFile | undefined {
  const uploads = files.filter((file) => file.field === name);
  if (uploads.length > 1)
    throw invalidRequest(`Expected one file in '${name}', got ${uploads.length}.`, name, 'invalid_value');
  const [upload] = uploads;
  if (upload && !types.includes(upload.mimetype)) {
    throw invalidRequest(
      `Invalid file type for '${name}': '${upload.mimetype}'. Supported types are: ${listOf(types)}.`,
      name,
      'invalid_value',
    );
  }
  return upload;
}

function rejectUnknownKeys(name: string, object: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key))
      throw invalidRequest(`Unknown parameter: '${name}.${key}'.`, `${name}.${key}`, 'unknown_parameter');
  }
}

/**
 * `input_reference` on a create: an uploaded image (jpeg/png/webp), or an object with exactly one of `image_url`
 * (an http(s) or data:image URL) and `file_id` (an uploaded file's id), as the API reference defines it.
 */
export function checkInputReference({ fields, files }: RequestFields): void {
  const upload = uploadOf(files, 'input_reference', REFERENCE_IMAGE_TYPES);
  const object = objectParam(fields, 'input_reference');
  if (object === undefined) return;
  if (upload) {
    throw invalidRequest(
      "Invalid 'input_reference': send either an image file or an object with 'image_url' or 'file_id', not both.",
      'input_reference',
      'invalid_value',
    );
  }
  rejectUnknownKeys('input_reference', object, ['image_url', 'file_id']);
  const given = (['image_url', 'file_id'] as const).filter((key) => object[key] !== undefined);
  if (given.length !== 1) {
    throw invalidRequest(
      `Invalid 'input_reference': expected exactly one of 'image_url' or 'file_id', but got ${given.length === 0 ? 'neither' : 'both'}.`,
      'input_reference',
      given.length === 0 ? 'missing_required_parameter' : 'invalid_value',
    );
  }
  const [key] = given;
  const value = object[key as string];
  const param = `input_reference.${key}`;
  if (typeof value !== 'string') throw invalidType(param, 'a string', value);
  if (
    key === 'image_url' &&
    !/^(https?:\/\/\S+|data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+)$/.test(value)
  ) {
    throw invalidRequest(
      `Invalid '${param}': expected an http(s) URL or a base64 data URL of a jpeg, png or webp image.`,
      param,
      'invalid_value',
    );
  }
  if (key === 'file_id' && !/^file-[A-Za-z0-9_-]+$/.test(value)) {
    throw invalidRequest(`Invalid '${param}': '${value}' is not a file id (file-…).`, param, 'invalid_value');
  }
}

export type VideoReference = { kind: 'id'; id: string } | { kind: 'upload' };

/** `video` on an edit or extension: a completed video's `{ id }`, or an uploaded video file; exactly one. */
export function parseVideoReference({ fields, files }: RequestFields): VideoReference {
  const upload = uploadOf(files, 'video', SOURCE_VIDEO_TYPES);
  const object = objectParam(fields, 'video');
  if (upload && object)
    throw invalidRequest(
      "Invalid 'video': send either a video file or { id }, not both.",
      'video',
      'invalid_value',
    );
  if (upload) return { kind: 'upload' };
  if (!object)
    throw invalidRequest("Missing required parameter: 'video'.", 'video', 'missing_required_parameter');
  rejectUnknownKeys('video', object, ['id']);
  const { id } = object;
  if (id === undefined)
    throw invalidRequest("Missing required parameter: 'video.id'.", 'video.id', 'missing_required_parameter');
  if (typeof id !== 'string' || id === '') throw invalidType('video.id', 'a non-empty string', id);
  return { kind: 'id', id };
}

/** `video` on a character: an uploaded video file. */
export function requireVideoUpload({ files }: RequestFields): void {
  if (!uploadOf(files, 'video', SOURCE_VIDEO_TYPES))
    throw invalidRequest(
      "Missing required parameter: 'video' (a video file).",
      'video',
      'missing_required_parameter',
    );
}
