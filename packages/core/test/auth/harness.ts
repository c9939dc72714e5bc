import { createTestDb } from '@sora-monitor/db/testing';
import { onTestFinished } from 'vitest';
import { createAuth, type Auth, type AuthLogger, type CreateAuthOptions } from '../../src/auth';

export const LOCAL_BASE_URL = 'http://localhost:3000';
const TEST_SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz';

export interface LogLine {
  level: string;
  msg: string;
  obj: object;
}

/** A logger that keeps what it is told, so tests stay quiet and can look at it. */
export function recordingLogger(): AuthLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const record = (level: string) => (obj: object, msg: string) => void lines.push({ level, msg, obj });
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

/** A better-auth instance over a fresh database, torn down when the test ends. */
export async function authOnFreshDb(options: Partial<Omit<CreateAuthOptions, 'db'>> = {}): Promise<Auth> {
  const { handle, cleanup } = await createTestDb();
  onTestFinished(cleanup);
  return createAuth({
    db: handle.db,
    secret: TEST_SECRET,
    baseURL: LOCAL_BASE_URL,
    logger: recordingLogger(),
    ...options,
  });
}

export interface CallOptions {
  /** A `name=value` cookie to send, as a browser would. */
  cookie?: string;
  /** The client address the HTTP layer would report. */
  ip?: string;
  baseURL?: string;
  headers?: Record<string, string>;
}

/** A real Fetch request through better-auth's handler, shaped like the browser's (same-origin POST). */
export function callAuth(
  auth: Auth,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  options: CallOptions = {},
) {
  const baseURL = options.baseURL ?? LOCAL_BASE_URL;
  const headers = new Headers({
    origin: baseURL,
    'x-forwarded-for': options.ip ?? '203.0.113.7',
    ...options.headers,
  });
  if (options.cookie) headers.set('cookie', options.cookie);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const request = new Request(new URL(`/api/auth${path}`, baseURL), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return auth.handler(request);
}

export const signUp = (
  auth: Auth,
  email: string,
  password = 'correct horse battery',
  options?: CallOptions,
) => callAuth(auth, 'POST', '/sign-up/email', { email, password, name: email.split('@')[0] }, options);

export const signIn = (
  auth: Auth,
  email: string,
  password = 'correct horse battery',
  options?: CallOptions,
) => callAuth(auth, 'POST', '/sign-in/email', { email, password }, options);

/** The session cookie a response set, as `name=value`, plus its raw Set-Cookie line; undefined if none. */
export function sessionCookie(response: Response): { pair: string; line: string } | undefined {
  const line = response.headers.getSetCookie().find((cookie) => /session_token=[^;]+/.test(cookie));
  if (!line) return undefined;
  return { pair: line.split(';')[0] ?? '', line };
}

/** Signs a new user up and returns the cookie their browser would now hold. */
export async function signedUpUser(auth: Auth, email: string): Promise<{ cookie: string; headers: Headers }> {
  const response = await signUp(auth, email);
  const cookie = sessionCookie(response);
  if (response.status !== 200 || !cookie)
    throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  return { cookie: cookie.pair, headers: new Headers({ cookie: cookie.pair }) };
}
