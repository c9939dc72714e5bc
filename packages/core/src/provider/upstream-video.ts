import { z } from 'zod';
import type { UpstreamVideo } from './types';

const unixSeconds = z.number().finite().nullable().optional();

// Only what we rely on is checked; an upstream that adds fields stays compatible, one that drops them is reported.
const upstreamVideoSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  progress: z.number().finite().nullable().optional(),
  error: z
    .object({ code: z.string().nullable().optional(), message: z.string().nullable().optional() })
    .nullable()
    .optional(),
  created_at: z.number().finite(),
  completed_at: unixSeconds,
  expires_at: unixSeconds,
  model: z.string().optional().default(''),
  size: z.string().optional().default(''),
  seconds: z.union([z.string(), z.number()]).optional().default(''),
  prompt: z.string().nullable().optional(),
});

const fromUnix = (seconds: number | null | undefined) => (seconds == null ? null : new Date(seconds * 1000));

/** Validates and normalises a Video object; returns a description of the problem when it is not one. */
export function parseUpstreamVideo(value: unknown): UpstreamVideo | { invalid: string } {
  const parsed = upstreamVideoSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { invalid: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` };
  }
  const video = parsed.data;
  return {
    id: video.id,
    status: video.status,
    progress: video.progress ?? null,
    error: video.error ? { code: video.error.code ?? null, message: video.error.message ?? null } : null,
    createdAt: new Date(video.created_at * 1000),
    completedAt: fromUnix(video.completed_at),
    expiresAt: fromUnix(video.expires_at),
    model: video.model,
    size: video.size,
    seconds: String(video.seconds),
    prompt: video.prompt ?? null,
  };
}
