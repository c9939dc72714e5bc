import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { chromiumBuild } from './scripts/browsers.mjs';
import { serverBundleFromEnv } from './scripts/server-bundle.mjs';

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// Two builds of Chromium (scripts/browsers.mjs: Debian's where installed, Playwright's own otherwise). Every spec runs in
// the headless shell, Playwright's default for headless runs, except the one that needs full Chromium's Notifications.
// The suite took 112 s and 182 s of CPU in the shell, 150–167 s and 278–314 s in full Chromium (same machine, commit).
const browserArgs = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const chromium = (kind: 'full' | 'shell') => {
  const { executablePath, channel } = chromiumBuild(kind);
  return { ...(channel ? { channel } : {}), launchOptions: { executablePath, args: browserArgs } };
};
const needsFullChromium = /finish-notifications\.spec\.ts/;
// A fresh data directory per run: the e2e server never touches a developer's ./.data.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'sora-monitor-e2e-'));
process.env.E2E_DATA_DIR = dataDir;
// The server bundle scripts/test.mjs made for the run (about a third of the start-up CPU); `pnpm start`'s way otherwise.
const serverBundle = serverBundleFromEnv();
const serverCommand = serverBundle ? `'${process.execPath}' '${serverBundle}'` : 'pnpm --filter @sora-monitor/server start';

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  // Spec files run side by side (tests inside a file stay in order, unless the file asks for parallel mode): they mostly
  // wait on simulated generations, and each works on its own videos. Six workers keep the suite under one core of two
  // busy here (3 workers: 239 s; 6: 212 s, on the same machine and commit).
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 6),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME
    ? [['list'], ['json'], ['html', { open: 'never' }]]
    : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    screenshot: 'on',
    // Recording a trace costs about a quarter of the suite's time even when it is thrown away after a pass; a failure
    // keeps its screenshot and error. E2E_TRACE=retain-on-failure records them to debug.
    trace: process.env.E2E_TRACE === 'retain-on-failure' ? 'retain-on-failure' : 'off',
    ...chromium('shell'),
  },
  projects: [
    // Creates the test accounts once (sign-up is rate limited per IP) and saves their sessions for the others.
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'] },
      dependencies: ['setup'],
      testIgnore: [/responsive\.spec\.ts/, needsFullChromium],
    },
    {
      name: 'desktop-full-chromium',
      use: { ...devices['Desktop Chrome'], ...chromium('full') },
      dependencies: ['setup'],
      testMatch: needsFullChromium,
    },
    { name: 'phone', use: { ...devices['Pixel 7'] }, dependencies: ['setup'], testMatch: /responsive\.spec\.ts/ },
  ],
  webServer: {
    command: serverCommand,
    cwd: 'apps/server',
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      SIM_GENERATION_MS: process.env.E2E_SIM_GENERATION_MS ?? '4000',
      OPENAI_API_KEY: '',
      DATABASE_URL: '',
      // The built-in models plus one the operator names (VIDEO_MODELS): offered with no known price.
      VIDEO_MODELS: 'sora-2,sora-2-pro,veo-3',
      // A thumbnail the simulator refused ([sim:thumbnail-503]) is tried again within seconds (1, 2, 4 s apart), not
      // after a minute.
      THUMBNAIL_RETRY_BASE_MS: '1000',
      // webhooks.spec.ts runs its receiver on this machine (a private address the server otherwise refuses), and a
      // refused delivery is tried again within about a second.
      WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8',
      WEBHOOK_RETRY_BASE_MS: '1000',
      // Most specs share one account (alice) and run side by side: together they start more generations a minute
      // than one person would. The limit itself is tested over HTTP in apps/server/test/security/rate-limit-http.test.ts.
      RATE_LIMIT_GENERATE_PER_MIN: '200',
      // The same for upstream: every spec's generations share this server's one simulated API key, and at the default
      // budget (120 requests a minute) six workers' videos queued behind it: a spec's 12 answers of 429 then took 42–48 s
      // instead of 14 s alone. The budget is tested in packages/core/test/provider/*upstream-budget.test.ts.
      UPSTREAM_RPM: '1000',
    },
  },
});
