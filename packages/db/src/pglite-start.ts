import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/*
 * How every embedded database starts: PGlite's own parameters, with a smaller buffer pool. PostgreSQL's default of
 * 128 MB of shared buffers is zeroed in WebAssembly at every start, and stays resident: opening the migrated test
 * database took 1.63 s of CPU and 340 MB of peak RSS with it, 1.42 s and 230 MB with 32 MB (8 runs each, alternating).
 * The embedded database holds one instance's own rows (a few MB for thousands of videos); reads that miss the pool go
 * to files the kernel caches anyway. Deployments that outgrow it run on PostgreSQL (DATABASE_URL).
 */
export const PGLITE_SHARED_BUFFERS = '32MB';

/** Starts a PGlite with these parameters: the one way this workspace opens one (product, tests, the test template). */
export function startPglite(options: Omit<PGliteOptions, 'startParams'> = {}): Promise<PGlite> {
  return PGlite.create({
    ...options,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
}
