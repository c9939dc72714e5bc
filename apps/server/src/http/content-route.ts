import type { AppServices } from '@sora-monitor/core';
import { videoFileStem } from '@sora-monitor/core/domain';
import { BlobNotFoundError, resolveRequestUser, toFetchHeaders } from '@sora-monitor/core/server';
import { getVideoForUser, type Video } from '@sora-monitor/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import parseRange from 'range-parser';
import { allowedByRateLimit } from './rate-limit-reply';

const CONTENT_TYPES: Record<string, string> = { mp4: 'video/mp4', webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };

/** What `?variant=` serves: the video, its thumbnail, or the reference image it was made from. */
const VARIANT_KEYS = {
  video: (video: Video) => video.blobKey,
  thumbnail: (video: Video) => video.thumbnailBlobKey,
  reference: (video: Video) => video.referenceImageKey,
} as const;

function contentTypeFor(key: string): string {
  return CONTENT_TYPES[key.split('.').pop() ?? ''] ?? 'application/octet-stream';
}

/**
 * RFC 6266 Content-Disposition for a title users typed: `filename` is an ASCII fallback (letters, digits, space,
 * `._-`), `filename*` carries the full title in UTF-8, percent-encoded. Control characters (CR/LF could split the
 * header), quotes, backslashes and slashes are removed from both, so no title can end the value or add a header.
 */
export function contentDisposition(title: string, extension: string): string {
  const readable = title
    .normalize('NFC')
    .replace(/[\p{C}"\\/]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const unicodeName = Array.from(readable).slice(0, 80).join('').trim() || 'video';
  const asciiName = unicodeName.replace(/[^A-Za-z0-9 ._-]+/g, '').replace(/\s+/g, ' ').trim() || 'video';
  const encoded = encodeURIComponent(`${unicodeName}.${extension}`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${asciiName}.${extension}"; filename*=UTF-8''${encoded}`;
}

function notFound(reply: FastifyReply) {
  return reply.code(404).send({ error: 'not_found', message: 'Video not found' });
}

/**
 * Serves a stored video (or its thumbnail, or its reference image) to its owner only, streamed from the blob store with HTTP Range support
 * so the browser's player can seek. Another user's video gets the same 404 as a missing one.
 */
export function registerContentRoute(app: FastifyInstance, services: Pick<AppServices, 'auth' | 'db' | 'generations' | 'rateLimits'>): void {
  app.get<{ Params: { videoId: string }; Querystring: { variant?: string } }>(
    '/api/videos/:videoId/content',
    async (request, reply) => {
      const user = await resolveRequestUser(services.auth, toFetchHeaders(request.headers));
      if (!user) return reply.code(401).send({ error: 'unauthorized', message: 'Sign in to continue.' });
      if (!(await allowedByRateLimit(reply, services.rateLimits.content, user.id))) return reply;

      const variant = request.query.variant ?? 'video';
      if (!Object.hasOwn(VARIANT_KEYS, variant)) {
        return reply.code(400).send({ error: 'bad_request', message: 'variant must be video, thumbnail or reference' });
      }
      const video = await getVideoForUser(services.db, user.id, request.params.videoId);
      const key = video ? VARIANT_KEYS[variant as keyof typeof VARIANT_KEYS](video) : null;
      if (!video || !key) return notFound(reply);
      const blobs = services.generations.blobs;
      const stat = await blobs.stat(key);
      if (!stat) return notFound(reply);

      // The range is settled and the blob opened before any header is set, so a blob deleted since the stat above
      // still gets a plain 404.
      let range: { start: number; end: number } | null = null;
      const rangeHeader = request.headers.range;
      if (rangeHeader) {
        const ranges = parseRange(stat.size, rangeHeader, { combine: true });
        if (ranges === -1) {
          return reply.code(416).header('Content-Range', `bytes */${stat.size}`).send();
        }
        // Malformed ranges (-2) are ignored, as RFC 9110 allows; several ranges are served as their first one.
        if (ranges !== -2 && ranges.type === 'bytes' && ranges[0]) range = { start: ranges[0].start, end: ranges[0].end };
      }
      let body;
      try {
        body = await blobs.read(key, range ?? undefined);
      } catch (error) {
        if (error instanceof BlobNotFoundError) return notFound(reply);
        throw error;
      }

      reply
        .header('Content-Type', contentTypeFor(key))
        .header('Accept-Ranges', 'bytes')
        .header('Cache-Control', 'private, no-store')
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cross-Origin-Resource-Policy', 'same-origin')
        // The video is saved as a clean slug of the title plus the id (the same name the web app's link suggests).
        .header('Content-Disposition', contentDisposition(variant === 'video' ? videoFileStem(video.title, video.id) : video.title, key.split('.').pop() ?? 'bin'));
      if (video.blobSha256 && variant === 'video') reply.header('ETag', `"${video.blobSha256}"`);
      if (range) {
        return reply
          .code(206)
          .header('Content-Range', `bytes ${range.start}-${range.end}/${stat.size}`)
          .header('Content-Length', range.end - range.start + 1)
          .send(body);
      }
      return reply.header('Content-Length', stat.size).send(body);
    },
  );
}
