import type { AppServices } from '@sora-monitor/core';
import { resolveRequestUser, toFetchHeaders } from '@sora-monitor/core/server';
import { getVideoForUser } from '@sora-monitor/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import parseRange from 'range-parser';
import { allowedByRateLimit } from './rate-limit-reply';

const CONTENT_TYPES: Record<string, string> = { mp4: 'video/mp4', webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png' };

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
 * Serves a stored video (or its thumbnail) to its owner only, streamed from the blob store with HTTP Range support
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
      if (variant !== 'video' && variant !== 'thumbnail') {
        return reply.code(400).send({ error: 'bad_request', message: 'variant must be video or thumbnail' });
      }
      const video = await getVideoForUser(services.db, user.id, request.params.videoId);
      const key = variant === 'video' ? video?.blobKey : video?.thumbnailBlobKey;
      if (!video || !key) return notFound(reply);
      const blobs = services.generations.blobs;
      const stat = await blobs.stat(key);
      if (!stat) return notFound(reply);

      reply
        .header('Content-Type', contentTypeFor(key))
        .header('Accept-Ranges', 'bytes')
        .header('Cache-Control', 'private, no-store')
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cross-Origin-Resource-Policy', 'same-origin')
        .header('Content-Disposition', contentDisposition(video.title, key.split('.').pop() ?? 'bin'));
      if (video.blobSha256 && variant === 'video') reply.header('ETag', `"${video.blobSha256}"`);

      const rangeHeader = request.headers.range;
      if (rangeHeader) {
        const ranges = parseRange(stat.size, rangeHeader, { combine: true });
        if (ranges === -1) {
          return reply.code(416).header('Content-Range', `bytes */${stat.size}`).send();
        }
        // Malformed ranges (-2) are ignored, as RFC 9110 allows; several ranges are served as their first one.
        if (ranges !== -2 && ranges.type === 'bytes' && ranges[0]) {
          const { start, end } = ranges[0];
          return reply
            .code(206)
            .header('Content-Range', `bytes ${start}-${end}/${stat.size}`)
            .header('Content-Length', end - start + 1)
            .send(blobs.read(key, { start, end }));
        }
      }
      return reply.header('Content-Length', stat.size).send(blobs.read(key));
    },
  );
}
