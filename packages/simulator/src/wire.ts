/**
 * The JSON shapes the simulator puts on the wire. They are written out here (rather than imported from the `openai`
 * SDK) because the simulator is the *server* side of the contract; test/wire-types.test.ts checks at compile time
 * that they stay assignable to the SDK's own types.
 */

export type VideoModel = string;
export type VideoSeconds = '4' | '8' | '12';
/** An extension adds 4-20 s to its source, so a served video's length is any whole number of seconds. */
export type ServedSeconds = VideoSeconds | (string & {});
export type VideoSize = '720x1280' | '1280x720' | '1024x1792' | '1792x1024';
export type VideoStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

/**
 * Statuses outside the 6.x contract that real upstreams send: `[sim:unknown-status]`'s `preprocessing`, and Sora's
 * `cancelled` and `expired` (a job past retention).
 */
export type UnknownVideoStatus = 'preprocessing' | 'cancelled' | 'expired';

export interface VideoError {
  code: string;
  message: string;
}

export interface VideoObject {
  id: string;
  object: 'video';
  status: VideoStatus;
  progress: number;
  created_at: number;
  completed_at: number | null;
  expires_at: number | null;
  error: VideoError | null;
  model: VideoModel;
  seconds: VideoSeconds;
  size: VideoSize;
  prompt: string | null;
  remixed_from_video_id: string | null;
}

/** What GET /v1/videos/{id} can actually return in the openai dialect: the contract, or a status outside it. */
export type ServedVideoObject = Omit<VideoObject, 'status' | 'seconds'> & {
  status: VideoStatus | UnknownVideoStatus;
  seconds: ServedSeconds;
};

/** A character made from an uploaded video (POST /videos/characters). */
export interface CharacterObject {
  id: string;
  created_at: number;
  name: string;
}

export interface VideoList {
  object: 'list';
  data: object[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface VideoDeleted {
  id: string;
  object: 'video.deleted';
  deleted: true;
}

export interface ErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}

export type VideoWebhookEventType = 'video.completed' | 'video.failed';

export interface VideoWebhookEvent {
  id: string;
  object: 'event';
  type: VideoWebhookEventType;
  created_at: number;
  data: { id: string };
}

export const VIDEO_SIZES: readonly VideoSize[] = ['720x1280', '1280x720', '1024x1792', '1792x1024'];
/** The portrait/landscape high-resolution sizes only sora-2-pro renders. */
export const PRO_ONLY_SIZES: readonly VideoSize[] = ['1024x1792', '1792x1024'];
export const VIDEO_SECONDS: readonly VideoSeconds[] = ['4', '8', '12'];
export const CONTENT_VARIANTS = ['video', 'thumbnail', 'spritesheet'] as const;
export type ContentVariant = (typeof CONTENT_VARIANTS)[number];
