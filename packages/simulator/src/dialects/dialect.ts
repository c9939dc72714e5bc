import type { IncomingHttpHeaders } from 'node:http';
import type { Job } from '../jobs';
import type { ContentVariant, ServedVideoObject } from '../wire';

export const DIALECTS = ['openai', 'azure', 'litellm', 'newapi'] as const;
export type DialectName = (typeof DIALECTS)[number];

/** What a create's `model` turned out to be: the name to echo, and the Sora model whose sizes apply (if any). */
export interface AcceptedModel {
  model: string;
  /** `sora-2` / `sora-2-pro` when the name is a Sora model (pro-only sizes are checked); null: any size. */
  soraBase: 'sora-2' | 'sora-2-pro' | null;
}

export interface ListRequest {
  headers: IncomingHttpHeaders;
  query: Record<string, unknown>;
}

/**
 * One upstream's way of speaking the Videos API: where it is mounted, how it authenticates, which model names it
 * accepts, how ids and video objects look on the wire, and its quirks on list and content. The routes are shared;
 * everything that differs between upstreams goes through this.
 */
export interface Dialect {
  name: DialectName;
  /** Path prefix of the API, e.g. `/v1` (Azure: `/openai/v1`). */
  prefix: string;
  /** Throws this upstream's 401 unless the request carries `apiKey` the way it expects. */
  authenticate(headers: IncomingHttpHeaders, apiKey: string): void;
  /** Checks query parameters every route accepts (Azure's `api-version`). */
  checkQuery(query: Record<string, unknown>): void;
  /** Checks a create's model name; throws this upstream's error for one it does not serve. */
  acceptModel(model: string): AcceptedModel;
  /** The public id of a new job (LiteLLM encodes provider and model into it). */
  videoId(rawId: string, model: string): string;
  /** The public id of a new character. */
  characterId(rawId: string): string;
  /** The video object as this upstream writes it. */
  render(video: ServedVideoObject, job: Job, nowMs: number): Record<string, unknown>;
  /** Which jobs GET /videos shows; throws when this upstream refuses the list as asked. */
  listFilter(request: ListRequest): (job: Job) => boolean;
  /** The asset the content route answers for the requested variant (LiteLLM: always the MP4). */
  contentVariant(requested: ContentVariant): ContentVariant;
  /** Extra headers on a content response. */
  contentHeaders(videoId: string): Record<string, string>;
}

/** `sora-2`, `sora-2-pro` and their dated snapshots (`sora-2-2025-10-06`…). */
const SORA_MODEL = /^(sora-2(?:-pro)?)(?:-\d{4}-\d{2}-\d{2})?$/;

export function soraBaseOf(model: string): AcceptedModel['soraBase'] {
  const base = SORA_MODEL.exec(model)?.[1];
  return base === 'sora-2' || base === 'sora-2-pro' ? base : null;
}

/** Bearer auth as OpenAI (and gateways copying it) do. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  return headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
}
