// Where the e2e suite finds Chromium. Debian's packages (scripts/ensure-browser.mjs installs them in CI); CHROMIUM_PATH
// and CHROMIUM_HEADLESS_SHELL_PATH point elsewhere. Neither there: Playwright's own downloads.
import { existsSync } from 'node:fs';

export const systemChromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const systemHeadlessShell =
  process.env.CHROMIUM_HEADLESS_SHELL_PATH ?? '/usr/lib/chromium/chromium-headless-shell';

/**
 * Launch settings for Playwright. `full`: Chromium as people run it, headless. `shell`: the headless shell (Playwright's
 * own default for headless runs: no browser UI layer, about 60 % of full Chromium's CPU here), or full Chromium
 * where only that is installed.
 * @param {'full' | 'shell'} kind
 * @returns {{ executablePath?: string; channel?: string }}
 */
export function chromiumBuild(kind) {
  const full = existsSync(systemChromium) ? systemChromium : undefined;
  if (kind === 'full') return full ? { executablePath: full } : { channel: 'chromium' };
  if (existsSync(systemHeadlessShell)) return { executablePath: systemHeadlessShell };
  return full ? { executablePath: full } : {};
}
