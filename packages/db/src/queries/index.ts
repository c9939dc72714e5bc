export { isActiveGeneration } from './active-status';
export { dbNow } from './db-now';
export { deleteVideoForUser } from './delete-video-for-user';
export { getVideoForUser, getVideoForUserWithClock } from './get-video-for-user';
export { insertEvent } from './insert-event';
export { insertGeneration } from './insert-generation';
export { insertVideo } from './insert-video';
export { listEventsForUserSince, type EventsSince } from './list-events-for-user-since';
export { listEventsForVideo } from './list-events-for-video';
export { listGenerationsForVideo } from './list-generations-for-video';
export { CursorSortMismatchError, listVideosForUser, type ListVideosOptions, type VideoPage } from './list-videos-for-user';
export { type VideoFilters } from './video-filters';
export { countVideosByStatus } from './count-videos-by-status';
export { listFailureCodesForUser } from './list-failure-codes';
export {
  decodeVideoCursor,
  isVideoCursor,
  SORT_ORDERS,
  VIDEO_SORTS,
  type SortOrder,
  type VideoCursor,
  type VideoSort,
} from './video-cursor';
export { isUuid } from './uuid';
export { notify } from '../notify';
export { claimVideoForRefresh, extendVideoLease, releaseVideoLease, type RefreshClaim } from './claim-video-for-refresh';
export { commitVideoChange, VIDEO_CHANGED_CHANNEL, type CommittedChange, type VideoChange } from './commit-video-change';
export { beginGenerationAttempt, type BeganAttempt } from './begin-generation-attempt';
export { listAttemptsToday, lockUserSpending, type AttemptToday } from './todays-spend';
export { listPastDurations } from './list-past-durations';
export { claimDueVideos, renewVideoLeases, type DueClaim } from './claim-due-videos';
export { claimDueRetries } from './claim-due-retries';
export { listStuckCandidates, type StuckCandidates } from './list-stuck-candidates';
export { countActiveByStatus } from './count-active-by-status';
export { recordWebhookDelivery, forgetWebhookDelivery } from './webhook-deliveries';
export { getVideoByJobId } from './get-video-by-job-id';
export { claimThumbnailRetry, listDueThumbnailRetries } from './claim-thumbnail-retry';
export { findReferencedBlobKeys } from './referenced-blob-keys';
export { usageWindow, type UsageWindow } from './usage-window';
export {
  ensureUsageTimeZone,
  listUsageDays,
  listUsageReadyBuckets,
  MAX_USAGE_TIME_ZONES,
  usageZoneKey,
  type AttemptCount,
  type ReadyBucket,
} from './usage-rollups';
export {
  countUserWebhookEndpoints,
  deleteUserWebhookEndpoint,
  getUserWebhookEndpoint,
  insertUserWebhookEndpoint,
  listUserWebhookEndpoints,
  updateUserWebhookEndpoint,
} from './user-webhook-endpoints';
export {
  enqueueUserWebhookDeliveries,
  enqueueUserWebhookTest,
  USER_WEBHOOK_QUEUED_CHANNEL,
  type OutgoingWebhookDraft,
} from './enqueue-user-webhook-deliveries';
export {
  claimDueUserWebhookDeliveries,
  recordUserWebhookAttempt,
  releaseUserWebhookDelivery,
  type ClaimedUserWebhookDelivery,
  type UserWebhookAttemptRecord,
} from './claim-due-user-webhook-deliveries';
export { listUserWebhookDeliveries } from './list-user-webhook-deliveries';
