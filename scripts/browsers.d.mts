/** Debian's full Chromium, or CHROMIUM_PATH. */
export const systemChromium: string;
/** Debian's Chromium headless shell, or CHROMIUM_HEADLESS_SHELL_PATH. */
export const systemHeadlessShell: string;
/** Launch settings for Playwright: the headless shell (`shell`) or full Chromium (`full`), installed or Playwright's own. */
export function chromiumBuild(kind: 'full' | 'shell'): { executablePath?: string; channel?: string };
