import { randomBytes } from 'node:crypto';

/** A signed-in caller of one server: its base URL and the session cookie better-auth issued. */
export interface Session {
  url: string;
  cookie: string;
  userId: string;
}

/** Signs a new user up through the real auth route and keeps the session cookie. */
export async function signUp(url: string, label = 'bench'): Promise<Session> {
  const email = `${label}-${randomBytes(6).toString('hex')}@bench.invalid`;
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password: 'benchmark-password-1', name: label }),
  });
  const body = (await response.json()) as { user?: { id: string } };
  if (!response.ok || !body.user)
    throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(body)}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .filter((pair) => pair.includes('session_token'))
    .join('; ');
  if (!cookie) throw new Error('sign-up returned no session cookie');
  return { url, cookie, userId: body.user.id };
}

/** The same session against another instance (they share the database and AUTH_SECRET). */
export function onInstance(session: Session, url: string): Session {
  return { ...session, url };
}

export function queryPath(procedure: string, input?: unknown): string {
  return input === undefined
    ? `/trpc/${procedure}`
    : `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
}

async function unwrap<T>(procedure: string, response: Response): Promise<T> {
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!response.ok || !body.result)
    throw new Error(`${procedure} failed: ${response.status} ${JSON.stringify(body.error ?? body)}`);
  return body.result.data;
}

export async function query<T>(session: Session, procedure: string, input?: unknown): Promise<T> {
  const response = await fetch(`${session.url}${queryPath(procedure, input)}`, {
    headers: { cookie: session.cookie },
  });
  return unwrap<T>(procedure, response);
}

export async function mutate<T>(session: Session, procedure: string, input?: unknown): Promise<T> {
  const response = await fetch(`${session.url}/trpc/${procedure}`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/json', origin: session.url },
    body: JSON.stringify(input ?? null),
  });
  return unwrap<T>(procedure, response);
}

export interface StatusView {
  status: string;
  progress: number;
}

export interface VideoView {
  id: string;
  soraGenerationStatus?: string;
}

/** Creates a video and starts its generation; the prompt carries the simulator markers. */
export async function createAndGenerate(session: Session, prompt: string): Promise<string> {
  const video = await mutate<{ id: string }>(session, 'videos.create', { prompt });
  await mutate(session, 'sora.generate', { videoId: video.id });
  return video.id;
}

/** Polls sora.status until `done` says so. */
export async function waitForStatus(
  session: Session,
  videoId: string,
  done: (view: StatusView) => boolean,
  timeoutMs: number,
): Promise<StatusView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await query<StatusView>(session, 'sora.status', { videoId });
    if (done(view)) return view;
    if (Date.now() > deadline)
      throw new Error(`video ${videoId} still ${view.status} (${view.progress}%) after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
