// Makes sure a Chromium exists for Playwright: Debian's package when we are root on a Debian-like machine (this
// project's CI, where Playwright's download is not reachable), otherwise Playwright's own browser download.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const systemChromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(systemChromium)) process.exit(0);

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('Installing Chromium from Debian packages (apt-get)…');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium']);
} else {
  console.log('Installing Playwright Chromium…');
  run('pnpm', ['exec', 'playwright', 'install', 'chromium']);
}
