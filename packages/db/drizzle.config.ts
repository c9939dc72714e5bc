import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @sora-monitor/db generate` writes SQL migrations to ./drizzle; createDb() applies them at start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
});
