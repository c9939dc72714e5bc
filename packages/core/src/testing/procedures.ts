import { z } from 'zod';
import { appRouter } from '../root';

/*
 * The router's own list of procedures, for tests that must cover every one of them: a procedure added later is
 * picked up (and has to be classified) without anyone remembering to extend a hand-written list.
 */

export type ProcedureType = 'query' | 'mutation' | 'subscription';

export interface ProcedureInfo {
  path: string;
  type: ProcedureType;
  /** The input schemas in the order they were declared (middleware can add more). */
  inputs: z.ZodType[];
}

interface ProcedureDef {
  _def: { type: ProcedureType; inputs: unknown[] };
}

export function listProcedures(): ProcedureInfo[] {
  // Typed as the nested router record, but at run time a flat map keyed by dotted path.
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(procedures)
    .map(([path, procedure]) => ({ path, type: procedure._def.type, inputs: procedure._def.inputs as z.ZodType[] }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The object shape behind defaults, optionals and refinements, or null when the input is not an object. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  let current: unknown = schema;
  for (let depth = 0; depth < 10; depth++) {
    if (current instanceof z.ZodObject) return current.shape as Record<string, z.ZodType>;
    const inner = (current as { _zod?: { def?: { innerType?: unknown; in?: unknown } } })._zod?.def;
    const next = inner?.innerType ?? inner?.in;
    if (!next) return null;
    current = next;
  }
  return null;
}

/** True when any of the procedure's input objects has a `videoId` field. */
export function takesVideoId(procedure: ProcedureInfo): boolean {
  return procedure.inputs.some((schema) => 'videoId' in (objectShape(schema) ?? {}));
}

/** True when any of the procedure's input objects has a `videoIds` field: it acts on several videos at once. */
export function takesVideoIds(procedure: ProcedureInfo): boolean {
  return procedure.inputs.some((schema) => 'videoIds' in (objectShape(schema) ?? {}));
}

/** One valid input per choice a procedure taking `videoIds` offers (each bulk action), naming `videoIds`. */
const EXTRA_VIDEO_IDS_INPUTS: Record<string, Record<string, unknown>[]> = {
  'videos.bulk': [{ action: 'retry' }, { action: 'reset' }, { action: 'delete' }],
};

/** Valid inputs naming `videoIds` for a procedure that takes them. */
export function videoIdsInputsFor(path: string, videoIds: string[]): Record<string, unknown>[] {
  return (EXTRA_VIDEO_IDS_INPUTS[path] ?? [{}]).map((rest) => ({ ...rest, videoIds }));
}

/** True when any of the procedure's input objects has an `endpointId` field (a user's webhook endpoint). */
export function takesEndpointId(procedure: ProcedureInfo): boolean {
  return procedure.inputs.some((schema) => 'endpointId' in (objectShape(schema) ?? {}));
}

/** A valid input naming `endpointId` for a procedure that takes one (update needs something to change). */
export function endpointInputFor(path: string, endpointId: string): Record<string, unknown> {
  return path === 'webhooks.update' ? { endpointId, events: ['video.failed'] } : { endpointId };
}

/** Calls `path` on a tRPC caller (`caller.sora.status(input)` for 'sora.status'). */
export function callProcedure(caller: object, path: string, input: unknown): Promise<unknown> {
  const target = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  if (typeof target !== 'function') throw new Error(`${path} is not a procedure of this caller`);
  return (target as (input: unknown) => Promise<unknown>)(input);
}

/**
 * The rest of a valid input for procedures that take more than a `videoId` (the source of a remix, edit or
 * extension), so ownership tests reach the ownership check instead of failing validation first.
 */
const EXTRA_VIDEO_INPUT: Record<string, Record<string, unknown>> = {
  'sora.remix': { prompt: 'A remix that must never start' },
  'sora.edit': { prompt: 'An edit that must never start' },
  'sora.extend': { prompt: 'An extension that must never start', seconds: 4 },
};

/** A valid input naming `videoId` for a procedure that takes one. */
export function videoInputFor(path: string, videoId: string): Record<string, unknown> {
  return { videoId, ...EXTRA_VIDEO_INPUT[path] };
}
