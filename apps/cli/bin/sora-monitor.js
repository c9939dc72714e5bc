#!/usr/bin/env node
// The workspace runs TypeScript from source (no build step): register tsx's loader, then start the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
