import { useEffect } from 'react';

// The tab's title is the page's own name, with a badge in front while something happened in a background tab
// (finish-notifications.ts): kept apart so neither overwrites the other.
let pageTitle = 'Sora Monitor';
let badge: string | null = null;

function applyTitle(): void {
  document.title = badge ? `${badge} · ${pageTitle}` : pageTitle;
}

/** Puts `text` in front of the tab's title (null removes it). */
export function setTitleBadge(text: string | null): void {
  badge = text;
  applyTitle();
}

/** Each page names itself in the tab and for screen readers announcing navigation. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    pageTitle = `${title} · Sora Monitor`;
    applyTitle();
  }, [title]);
}
