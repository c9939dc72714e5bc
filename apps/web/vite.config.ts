import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development Vite serves the SPA and forwards API calls to the server (pnpm dev runs it on :3000).
const apiTarget = 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  // Source maps are written but not linked from the bundles ('hidden'); the server serves them only in development.
  build: { sourcemap: 'hidden', outDir: 'dist', emptyOutDir: true },
  server: {
    port: 5173,
    proxy: { '/trpc': apiTarget, '/api': apiTarget, '/healthz': apiTarget, '/readyz': apiTarget },
  },
});
