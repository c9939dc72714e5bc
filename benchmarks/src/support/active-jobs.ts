import { insertUser, type BenchDatabase } from './database';
import type { SimulatorProcess } from './processes';

/** `count` simulator jobs that stay in progress at 50 % forever: every refresh sees the same upstream state. */
export async function createStuckJobs(simulator: SimulatorProcess, count: number, label: string): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  const create = async () => {
    while (next < count) {
      const index = next++;
      const response = await fetch(`${simulator.url}/videos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${simulator.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: `${label} ${index} [sim:stuck=50]` }),
      });
      const body = (await response.json()) as { id?: string };
      if (!response.ok || !body.id) throw new Error(`simulator create failed: ${response.status} ${JSON.stringify(body)}`);
      ids[index] = body.id;
    }
  };
  await Promise.all(Array.from({ length: 16 }, create));
  return ids;
}

/** One user's in-progress videos at 10 % for `jobIds`, each with its attempt row, none due yet. */
export async function seedInProgressVideos(database: BenchDatabase, jobIds: string[], label: string): Promise<void> {
  const { sql } = database;
  const userId = await insertUser(sql, label);
  await sql`
    insert into videos (user_id, title, prompt, model, size, seconds, sora_job_id, sora_generation_status, sora_progress,
                        sora_started_at, progress_changed_at, next_poll_at)
    select ${userId}, ${label} || ' ' || ord, ${`${label} [sim:stuck=50]`}, 'sora-2', '720x1280', 4, job, 'in_progress', 10,
           now(), now(), now() + interval '1 day'
    from unnest(${jobIds}::text[]) with ordinality as t(job, ord)`;
  await sql`
    insert into sora_generations (video_id, user_id, attempt, job_id, status, create_outcome, prompt, model, size, seconds,
                                  progress, started_at)
    select id, user_id, 1, sora_job_id, 'in_progress', 'confirmed', prompt, model, size, seconds, 10, now() from videos`;
  await sql`update videos set current_generation_id = g.id from sora_generations g where g.video_id = videos.id`;
  await sql`analyze`;
}
