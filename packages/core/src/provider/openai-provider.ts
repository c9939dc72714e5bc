import { toFile, type default as OpenAI } from 'openai';
import { withCallSignal, withDownloadSignal } from './call-signal';
import { classifyUpstreamError } from './upstream-errors';
import { parseUpstreamVideo } from './upstream-video';
import type {
  ContentVariant,
  CreateResult,
  CreateVideoParams,
  DownloadResult,
  RetrieveResult,
  UpstreamFailure,
  UpstreamVideo,
  VideoProvider,
} from './types';

export interface OpenAIProviderOptions {
  client: OpenAI;
  /** How far back (ms) a job's created_at may be before the request started and still be ours (clock skew). */
  clockSkewMs?: number;
  /** Per-call timeout; the SDK default (10 min) is far too long for a status check. */
  timeoutMs?: number;
}

const RECONCILE_PAGE_LIMIT = 100;

/**
 * The VideoProvider over the official `openai` SDK. The SDK's own retries are turned off for every call: a retried
 * POST without an idempotency key can create a duplicate (paid) job, and retries of reads are the poller's business,
 * where they share one budget and honour retry-after (see budgeted-provider.ts).
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): VideoProvider {
  const { client, clockSkewMs = 120_000, timeoutMs = 30_000 } = options;
  // `signal` is always a signal of this one call (call-signal.ts): the SDK leaves a listener on whatever it is given.
  const requestOptions = (signal: AbortSignal) => ({ maxRetries: 0, timeout: timeoutMs, signal });

  const invalidAnswer = (detail: string): UpstreamFailure => ({
    kind: 'unavailable',
    reason: 'server_error',
    retryAfterMs: null,
    status: null,
    message: `The video service sent an answer that is not a video (${detail})`,
  });

  return {
    async create(params, { signal } = {}): Promise<CreateResult> {
      try {
        const raw = await withCallSignal([signal], (own) => sendCreate(client, params, requestOptions(own)));
        const video = parseUpstreamVideo(raw);
        // A 2xx whose body we cannot read may still have created a job.
        return 'invalid' in video ? { kind: 'unknown', failure: invalidAnswer(video.invalid) } : { kind: 'created', video };
      } catch (error) {
        const failure = sourceGone(params, classifyUpstreamError(error));
        const certainlyNotCreated = failure.kind === 'rejected' || (failure.kind === 'unavailable' && failure.reason === 'rate_limited');
        return certainlyNotCreated ? { kind: 'not_created', failure } : { kind: 'unknown', failure };
      }
    },

    async findCreated(params, since, knownJobIds) {
      try {
        const page = await withCallSignal([], (own) => client.videos.list({ order: 'desc', limit: RECONCILE_PAGE_LIMIT }, requestOptions(own)));
        const earliest = since.getTime() - clockSkewMs;
        const matches: (UpstreamVideo & { createdAt: Date })[] = [];
        for (const raw of page.data) {
          const video = parseUpstreamVideo(raw);
          if ('invalid' in video) continue;
          // Without a creation time nothing proves the job is newer than our request: never adopt it (an older job
          // with the same prompt would be tied to this attempt). The attempt then ends as "never confirmed".
          if (video.createdAt === null) continue;
          if (video.createdAt.getTime() < earliest || knownJobIds.has(video.id)) continue;
          if (video.prompt === params.prompt && video.model === params.model && video.size === params.size && video.seconds === String(params.seconds)) {
            matches.push({ ...video, createdAt: video.createdAt });
          }
        }
        // Oldest match first: if a retry did duplicate the job, the first one is the one we asked for.
        matches.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
        return matches[0] ?? null;
      } catch (error) {
        return classifyUpstreamError(error);
      }
    },

    async retrieve(jobId, { signal } = {}): Promise<RetrieveResult> {
      try {
        const video = parseUpstreamVideo(await withCallSignal([signal], (own) => client.videos.retrieve(jobId, requestOptions(own))));
        return 'invalid' in video ? invalidAnswer(video.invalid) : { kind: 'video', video };
      } catch (error) {
        return classifyUpstreamError(error);
      }
    },

    async download(jobId: string, variant: ContentVariant, { signal } = {}): Promise<DownloadResult> {
      return withDownloadSignal([signal], async (own) => {
        try {
          const response = await client.videos.downloadContent(jobId, { variant }, { ...requestOptions(own), timeout: 10 * 60_000 });
          if (!response.body) return invalidAnswer('empty content body');
          const length = Number(response.headers.get('content-length'));
          return {
            kind: 'stream',
            body: response.body,
            contentType: response.headers.get('content-type') ?? (variant === 'video' ? 'video/mp4' : 'application/octet-stream'),
            contentLength: Number.isFinite(length) && length > 0 ? length : null,
          };
        } catch (error) {
          return classifyUpstreamError(error);
        }
      });
    },
  };
}

/** The one upstream call that makes a job: a plain create (with an optional reference image) or a derivation. */
async function sendCreate(client: OpenAI, params: CreateVideoParams, options: OpenAI.RequestOptions): Promise<OpenAI.Videos.Video> {
  const { derivation, inputReference } = params;
  if (derivation?.operation === 'remix') return client.videos.remix(derivation.sourceJobId, { prompt: params.prompt }, options);
  if (derivation?.operation === 'edit') return client.videos.edit({ prompt: params.prompt, video: { id: derivation.sourceJobId } }, options);
  if (derivation?.operation === 'extend') {
    return client.videos.extend(
      { prompt: params.prompt, video: { id: derivation.sourceJobId }, seconds: String(derivation.extensionSeconds) as OpenAI.Videos.VideoSeconds },
      options,
    );
  }
  return client.videos.create(
    {
      prompt: params.prompt,
      model: params.model,
      size: params.size as OpenAI.Videos.VideoSize,
      seconds: String(params.seconds) as OpenAI.Videos.VideoSeconds,
      ...(inputReference
        ? { input_reference: await toFile(inputReference.bytes, inputReference.filename, { type: inputReference.mimeType }) }
        : {}),
    },
    options,
  );
}

/**
 * A 404 on a remix, edit or extension names the source job, not a new one: nothing was created, and retrying cannot
 * help (upstream keeps a finished job's files only for a while). Reported as a rejection that says so.
 */
function sourceGone(params: CreateVideoParams, failure: UpstreamFailure): UpstreamFailure {
  if (failure.kind !== 'not_found' || !params.derivation) return failure;
  return {
    kind: 'rejected',
    status: 404,
    code: 'source_not_found',
    message: 'The video service no longer has the source video (it keeps finished videos only for a while).',
    param: 'video',
  };
}
