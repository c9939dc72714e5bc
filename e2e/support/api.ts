import { expect, type APIRequestContext } from '@playwright/test';

// Direct tRPC calls over HTTP (one procedure per request, no batching), with the signed-in context's cookies.
// Tests use them to set up data quickly; everything a user checks goes through the page.

export interface CreatedVideo {
  id: string;
  title: string;
}

export async function trpcMutation<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  const response = await request.post(`/trpc/${procedure}`, { data: input });
  expect(response.ok(), `${procedure}: ${response.status()} ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

export async function trpcQuery<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  const response = await request.get(`/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(response.ok(), `${procedure}: ${response.status()} ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

export interface VideoInput {
  prompt: string;
  title?: string;
  model?: string;
  size?: string;
  seconds?: number;
}

export function createVideo(request: APIRequestContext, input: VideoInput) {
  return trpcMutation<CreatedVideo>(request, 'videos.create', input);
}

/** Creates a video and starts its generation, as the New video page does. */
export async function startVideo(request: APIRequestContext, input: VideoInput): Promise<CreatedVideo> {
  const video = await createVideo(request, input);
  await trpcMutation(request, 'sora.generate', { videoId: video.id });
  return video;
}
