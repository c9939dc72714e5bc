import type { AppServices } from '@sora-monitor/core';
import { resolveRequestUser, toFetchHeaders } from '@sora-monitor/core/server';
import { getVideoForUser } from '@sora-monitor/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import parseRange from 'range-parser';

const CONTENT_TYPES: Record<string, string> = { mp4: 'video/mp4', webp: 'image/webp', jpg: 'image/jpeg', png: 'image/png' };

function contentTypeFor(key: string): string {
  return CONTENT_TYPES[key.split('.').pop() ?? ''] ?? 'application/octet-stream';
}

function notFound(reply: FastifyReply) {
  return reply.code(404).send({ error: 'not_found', message: 'Video not found' });
}

/**
 * Serves a stored video (or its thumbnail) to its owner only, streamed from the blob store with HTTP Range support
 * so the browser's player can seek. Another user's video gets the same 404 as a missing one.
 */
export function registerContentRoute(app: FastifyInstance, services: Pick<AppServices, 'auth' | 'db' | 'generations'>): void {
  app.get<{ Params: { videoId: string }; Querystring: { variant?: string } }>(
    '/api/videos/:videoId/content',
    async (request, reply) => {
      const user = await resolveRequestUser(services.auth, toFetchHeaders(request.headers));
      if (!user) return reply.code(401).send({ error: 'unauthorized', message: 'Sign in to continue.' });

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

      const filename = `${video.title.replace(/[^A-Za-z0-9 ._-]+/g, '').trim().slice(0, 80) || 'video'}.${key.split('.').pop()}`;
      reply
        .header('Content-Type', contentTypeFor(key))
        .header('Accept-Ranges', 'bytes')
        .header('Cache-Control', 'private, no-store')
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cross-Origin-Resource-Policy', 'same-origin')
        .header('Content-Disposition', `inline; filename="${filename}"`);
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
