import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development Vite serves the SPA and forwards API calls to the server (pnpm dev runs it on :3000).
const apiTarget = 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  build: { sourcemap: true, outDir: 'dist', emptyOutDir: true },
  server: {
    port: 5173,
    proxy: { '/trpc': apiTarget, '/api': apiTarget, '/healthz': apiTarget, '/readyz': apiTarget },
  },
});
