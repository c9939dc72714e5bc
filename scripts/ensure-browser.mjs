// Makes sure the two Chromium builds the e2e suite uses exist (playwright.config.ts): the headless shell, which runs
// nearly every spec, and full Chromium, for the spec that needs what only it has (Notifications). Debian's packages when
// we are root on a Debian-like machine (this project's CI, where Playwright's download is not reachable), otherwise
// Playwright's own download (`playwright install chromium` fetches both).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { systemChromium, systemHeadlessShell } from './browsers.mjs';

const missing = [
  existsSync(systemChromium) ? null : 'chromium',
  existsSync(systemHeadlessShell) ? null : 'chromium-headless-shell',
].filter(Boolean);
if (missing.length === 0) process.exit(0);

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log(`Installing ${missing.join(' and ')} from Debian packages (apt-get)…`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missing]);
} else if (!existsSync(systemChromium)) {
  console.log('Installing Playwright Chromium…');
  run('pnpm', ['exec', 'playwright', 'install', 'chromium']);
}
// Not root, with Debian's Chromium but not its headless shell: playwright.config.ts runs every spec in full Chromium.
