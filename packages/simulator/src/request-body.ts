import type { FastifyRequest } from 'fastify';
import { invalidRequest } from './errors';

export interface UploadedFile {
  field: string;
  filename: string;
  mimetype: string;
  bytes: number;
}

export interface RequestFields {
  fields: Record<string, unknown>;
  files: UploadedFile[];
}

/**
 * The body of a create/remix request, whichever way it came: the SDK sends multipart/form-data (files possible), other
 * clients send JSON. Uploaded files are read to the end and dropped: the simulator never uses their bytes.
 */
export async function readRequestFields(request: FastifyRequest): Promise<RequestFields> {
  if (request.isMultipart()) return readMultipart(request);
  const body: unknown = request.body;
  if (body === undefined || body === null) return { fields: {}, files: [] };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest(
      'The request body must be a JSON object or multipart/form-data.',
      null,
      'invalid_body',
    );
  }
  return { fields: { ...(body as Record<string, unknown>) }, files: [] };
}

async function readMultipart(request: FastifyRequest): Promise<RequestFields> {
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      let bytes = 0;
      for await (const chunk of part.file) bytes += (chunk as Buffer).length;
      if (part.file.truncated) {
        throw invalidRequest(
          `The file in '${part.fieldname}' is larger than the simulator accepts.`,
          part.fieldname,
          'file_too_large',
        );
      }
      files.push({ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, bytes });
    } else {
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, files };
}
