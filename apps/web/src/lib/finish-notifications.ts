import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { useLocation } from 'wouter';
import type { EventView, VideoView } from '../trpc';
import { setTitleBadge } from './use-document-title';

/*
 * "Notify me when videos finish": when a video ends (completed, or failed with no automatic retry to come) while this
 * tab is in the background, a browser Notification (only once the user turned it on and the browser allowed it) and
 * a badge on the tab's title and icon, until the tab is looked at again. Fed by the live updates the pages already
 * receive (sora.onUpdate); nothing is polled for it.
 */

export interface FinishedVideo {
  videoId: string;
  title: string;
  outcome: 'completed' | 'failed';
  /** Why it failed, as the video page says it. */
  error: string | null;
}

/** The video an update reports finished for good, or null (not an ending, or an automatic retry is planned). */
export function finishedVideo(update: { event: EventView | null; video: VideoView }): FinishedVideo | null {
  const { event, video } = update;
  if (!event) return null;
  const ended = event.type === 'status_changed' && event.fromStatus !== event.toStatus;
  // An automatic retry the daily limit refused leaves the video failed for good.
  const retryRefused = event.type === 'auto_retry_refused';
  const { status, autoRetryAt, error } = video.generation;
  if (ended && event.toStatus === 'completed' && status === 'completed') return { videoId: video.id, title: video.title, outcome: 'completed', error: null };
  if ((ended || retryRefused) && event.toStatus === 'failed' && status === 'failed' && !autoRetryAt) {
    return { videoId: video.id, title: video.title, outcome: 'failed', error };
  }
  return null;
}

const OPT_IN_KEY = 'sora-monitor:notify-when-finished';

export type NotifySetting = 'unsupported' | 'blocked' | 'off' | 'on';

const listeners = new Set<() => void>();
const changed = () => listeners.forEach((listener) => listener());

function currentSetting(): NotifySetting {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  return Notification.permission === 'granted' && localStorage.getItem(OPT_IN_KEY) === '1' ? 'on' : 'off';
}

/** Whether finished videos are announced by a Notification; re-renders when it changes. */
export function useNotifySetting(): NotifySetting {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, currentSetting);
}

/** Asks the browser (only ever from the user's click) and remembers the choice if it allows. */
export async function turnNotificationsOn(): Promise<void> {
  if (typeof Notification === 'undefined') return;
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission === 'granted') localStorage.setItem(OPT_IN_KEY, '1');
  changed();
}

export function turnNotificationsOff(): void {
  localStorage.removeItem(OPT_IN_KEY);
  changed();
}

// What finished while the tab was hidden, newest last; cleared when the tab is visible again.
let unseen: FinishedVideo[] = [];
const announced = new Set<number>();

/** The badge in front of the tab's title for what finished unseen. */
export function titleBadge(finished: readonly FinishedVideo[]): string | null {
  const [only] = finished;
  if (!only) return null;
  if (finished.length > 1) return `(${finished.length}) videos finished`;
  return only.outcome === 'completed' ? `✓ “${only.title}” is ready` : `✕ “${only.title}” failed`;
}

/**
 * Handles one live update: announces a video that finished while the tab is hidden (once per event, whichever page
 * received it). `open` shows the video when its Notification is clicked.
 */
export function announceIfFinished(update: { event: EventView | null; video: VideoView }, open: (videoId: string) => void): void {
  const finished = finishedVideo(update);
  if (!finished || !update.event || document.visibilityState !== 'hidden' || announced.has(update.event.id)) return;
  announced.add(update.event.id);
  unseen = [...unseen, finished];
  setTitleBadge(titleBadge(unseen));
  setIconBadge(unseen.some((video) => video.outcome === 'failed') ? 'failed' : 'completed');
  if (currentSetting() === 'on') showNotification(finished, open);
}

function showNotification(finished: FinishedVideo, open: (videoId: string) => void): void {
  const title = finished.outcome === 'completed' ? 'Your video is ready' : 'Your video failed';
  const body = finished.outcome === 'completed' || !finished.error ? `“${finished.title}”` : `“${finished.title}”: ${finished.error}`;
  try {
    const notification = new Notification(title, { body, tag: finished.videoId });
    notification.onclick = () => {
      window.focus();
      open(finished.videoId);
      notification.close();
    };
  } catch {
    // Some browsers (Chrome on Android) only show notifications through a service worker; the tab's badge still says it.
  }
}

/**
 * For a page that receives live updates: returns the handler to pass each update to, and clears the badges once the
 * user looks at the tab again. A clicked Notification opens its video.
 */
export function useFinishNotifications(): (update: { event: EventView | null; video: VideoView }) => void {
  const [, navigate] = useLocation();
  useEffect(watchTabVisibility, []);
  return useCallback((update) => announceIfFinished(update, (videoId) => navigate(`/videos/${videoId}`)), [navigate]);
}

function watchTabVisibility(): () => void {
  const onVisibility = () => {
    if (document.visibilityState !== 'visible' || unseen.length === 0) return;
    unseen = [];
    setTitleBadge(null);
    setIconBadge(null);
  };
  document.addEventListener('visibilitychange', onVisibility);
  return () => document.removeEventListener('visibilitychange', onVisibility);
}

let plainIcon: string | null = null;

/** The app's icon with a dot: green for a finished video, red for a failure; null puts the plain icon back. */
function setIconBadge(outcome: FinishedVideo['outcome'] | null): void {
  const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) return;
  plainIcon ??= link.href;
  if (outcome === null) {
    link.href = plainIcon;
    delete link.dataset.badge;
    return;
  }
  const color = outcome === 'completed' ? '%2323803a' : '%23b42323';
  link.href =
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E" +
    "%3Ccircle cx='16' cy='16' r='14' fill='none' stroke='%233451d1' stroke-width='3'/%3E%3Ccircle cx='16' cy='16' r='7' fill='%233451d1'/%3E" +
    `%3Ccircle cx='25' cy='7' r='7' fill='${color}' stroke='white' stroke-width='2'/%3E%3C/svg%3E`;
  link.dataset.badge = outcome;
}
