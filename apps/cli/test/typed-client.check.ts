// A consuming app's view of the router, checked by `pnpm typecheck` (tsc), never run. Each `@ts-expect-error` line
// MUST fail to compile: if the client ever stopped checking inputs or outputs against the router, the directive
// would be unused and the typecheck would fail.
import { createSoraMonitorClient, type RouterInputs, type RouterOutputs } from '@sora-monitor/core/client';

const client = createSoraMonitorClient({ url: 'http://localhost:3000', token: 'sora_token' });

export async function inputsAreChecked(): Promise<void> {
  await client.videos.create.mutate({
    prompt: 'A paper boat',
    model: 'sora-2-pro',
    size: '1792x1024',
    seconds: 12,
  });

  // @ts-expect-error the prompt is a string
  await client.videos.create.mutate({ prompt: 42 });
  // Models, sizes and lengths come from the server's catalog (checked at run time); their types are still checked.
  // @ts-expect-error seconds is a number
  await client.videos.create.mutate({ prompt: 'A paper boat', seconds: '5' });
  // @ts-expect-error a model is its name
  await client.videos.create.mutate({ prompt: 'A paper boat', model: 3 });
  // @ts-expect-error the prompt is required
  await client.videos.create.mutate({ title: 'No prompt' });
  // @ts-expect-error sora.status needs a videoId
  await client.sora.status.query({});
  // @ts-expect-error a mutation is not a query
  await client.sora.reset.query({ videoId: 'id' });
  // @ts-expect-error no such procedure
  await client.sora.cancel.mutate({ videoId: 'id' });
  // @ts-expect-error the list filter only takes known statuses
  await client.videos.list.query({ status: 'done' });
}

export async function outputsAreTyped(videoId: string): Promise<void> {
  const status = await client.sora.status.query({ videoId });
  const known: 'not_started' | 'queued' | 'in_progress' | 'completed' | 'failed' = status.status;
  const progress: number = status.progress;
  // @ts-expect-error progress is a number
  const asText: string = status.progress;
  // @ts-expect-error no such field on the status view
  void status.percent;
  void [known, progress, asText];

  client.sora.onUpdate.subscribe(
    { videoId },
    {
      onData: ({ id, data }) => {
        const eventId: string = id;
        const title: string = data.video.title;
        // @ts-expect-error dates cross as ISO strings, not Date objects
        const created: Date = data.video.createdAt;
        void [eventId, title, created];
      },
    },
  );
  // @ts-expect-error the subscription's videoId is a string
  client.sora.onUpdate.subscribe({ videoId: 7 }, {});
}

// The inferred helper types agree with the client.
export const input: RouterInputs['videos']['create'] = { prompt: 'A lighthouse at dusk' };
export type Listed = RouterOutputs['videos']['list']['items'][number]['generation']['status'];
export type OfferedPrice = RouterOutputs['system']['models']['models'][number]['centsPerSecond'];
