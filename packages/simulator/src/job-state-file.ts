import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Job } from './jobs';
import type { SimulatorLogger } from './options';

/** The file in `stateDir` that holds every job, so a restarted simulator still knows the jobs it created. */
export const JOB_STATE_FILE = 'simulator-jobs.json';
const VERSION = 1;

interface StateFile {
  version: number;
  jobs: Job[];
}

/** The jobs a previous run left in `file`; none when there is no file, or (with a warning) when it is unreadable. */
export function loadJobState(file: string, logger: SimulatorLogger): Job[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const state = JSON.parse(text) as StateFile;
    if (state.version !== VERSION || !Array.isArray(state.jobs)) throw new Error(`unknown format (version ${String(state.version)})`);
    return state.jobs;
  } catch (error) {
    logger.warn({ file, err: error }, 'Simulator job state is unreadable; starting without the earlier jobs');
    return [];
  }
}

/**
 * Writes the jobs to `file` after each change, one write at a time (changes during a write are folded into the
 * next), each to a temporary file renamed into place, so a crash leaves the previous state or the new one, never
 * half of it.
 */
export function createJobStateWriter(file: string, snapshot: () => Job[], logger: SimulatorLogger) {
  let writing: Promise<void> | null = null;
  let again = false;
  const writeOnce = async () => {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: VERSION, jobs: snapshot() } satisfies StateFile));
    await rename(tmp, file);
  };
  const run = async (): Promise<void> => {
    do {
      again = false;
      await writeOnce().catch((error: unknown) => logger.warn({ file, err: error }, 'Could not save the simulator job state'));
    } while (again);
    writing = null;
  };
  return {
    /** Saves soon; returns at once. */
    schedule(): void {
      if (writing) again = true;
      else writing = run();
    },
    /** Saves now (after any write in progress) and resolves when it is on disk. */
    async flush(): Promise<void> {
      if (writing) {
        again = true;
        await writing;
      } else {
        writing = run();
        await writing;
      }
    },
  };
}
