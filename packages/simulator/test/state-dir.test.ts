import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotFoundError } from 'openai';
import { describe, expect, it } from 'vitest';
import { JOB_STATE_FILE } from '../src/job-state-file';
import { bytesOf, sdkFor, startTestSimulator, waitForStatus } from './helpers';

/*
 * With `stateDir`, a simulator restarted on the same directory (the server restarting, or `pnpm dev` reloading on
 * save) still answers for the jobs it created before: they go on to complete instead of being "gone".
 */
describe('simulator jobs kept in a state directory', () => {
  it('carries an in-flight job, a finished one and a deleted one across a restart', async () => {
    const stateDir = await mkdtemp(path.join(tmpdir(), 'sim-state-'));
    const first = await startTestSimulator({ stateDir, generationMs: 1_500 });
    const before = sdkFor(first);
    const finished = await before.videos.create({ prompt: 'A short one [sim:duration=50]' });
    const deleted = await before.videos.create({ prompt: 'Soon deleted [sim:duration=50]' });
    const inFlight = await before.videos.create({ prompt: 'A lighthouse at night' });
    await waitForStatus(before, finished.id, 'completed');
    await waitForStatus(before, deleted.id, 'completed');
    await before.videos.delete(deleted.id);
    const progressBefore = (await before.videos.retrieve(inFlight.id)).progress;
    await first.close();

    const second = await startTestSimulator({ stateDir, generationMs: 1_500 });
    const after = sdkFor(second);
    expect(second.url).not.toBe(first.url); // a new port, as after a server restart: the jobs are found by id
    const resumed = await after.videos.retrieve(inFlight.id);
    expect(resumed.created_at).toBe(inFlight.created_at);
    expect(resumed.progress).toBeGreaterThanOrEqual(progressBefore);
    await waitForStatus(after, inFlight.id, 'completed');
    const content = await bytesOf(await after.videos.downloadContent(inFlight.id));
    expect(content.subarray(4, 8).toString('latin1')).toBe('ftyp');

    expect((await after.videos.retrieve(finished.id)).status).toBe('completed');
    await expect(after.videos.retrieve(deleted.id)).rejects.toBeInstanceOf(NotFoundError);
    const listed = await after.videos.list({ order: 'asc' });
    expect(listed.data.map((video) => video.id)).toEqual([finished.id, inFlight.id]);
    // Once the simulator has closed (its last write flushed), only the state file is left: no temporary file.
    await second.close();
    expect(await readdir(stateDir)).toEqual([JOB_STATE_FILE]);
  });

  it('starts without the earlier jobs, and says so, when the state file is unreadable', async () => {
    const stateDir = await mkdtemp(path.join(tmpdir(), 'sim-state-'));
    await writeFile(path.join(stateDir, JOB_STATE_FILE), '{"version":1,"jobs":[{"id":');
    const warnings: string[] = [];
    const sim = await startTestSimulator({ stateDir, logger: { info: () => {}, warn: (_obj, msg) => warnings.push(msg ?? '') } });
    expect(warnings).toEqual(['Simulator job state is unreadable; starting without the earlier jobs']);
    const created = await sdkFor(sim).videos.create({ prompt: 'Fresh start' });
    await sim.close();
    const saved = JSON.parse(await readFile(path.join(stateDir, JOB_STATE_FILE), 'utf8')) as { jobs: Array<{ id: string }> };
    expect(saved.jobs.map((job) => job.id)).toEqual([created.id]);
  });

  it('keeps jobs in memory only without a state directory', async () => {
    const sim = await startTestSimulator();
    const created = await sdkFor(sim).videos.create({ prompt: 'Ephemeral' });
    await sim.close();
    const next = await startTestSimulator();
    await expect(sdkFor(next).videos.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses an empty stateDir, naming the option', async () => {
    await expect(startTestSimulator({ stateDir: ' ' })).rejects.toThrow("Simulator option 'stateDir'");
  });
});
