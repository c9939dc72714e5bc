import { describe, expect, it } from 'vitest';
import { authOnFreshDb, sessionCookie, signUp } from './harness';

describe('session cookie attributes', () => {
  it('is HttpOnly and SameSite=Lax, without Secure, on http://localhost', async () => {
    const auth = await authOnFreshDb({ baseURL: 'http://localhost:3000' });
    const response = await signUp(auth, 'ada@example.com', undefined, { baseURL: 'http://localhost:3000' });

    expect(response.status).toBe(200);
    const cookie = sessionCookie(response);
    expect(cookie?.line).toMatch(/;\s*HttpOnly/i);
    expect(cookie?.line).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie?.line).not.toMatch(/;\s*Secure/i);
  });

  it('is not Secure on http://127.0.0.1 either', async () => {
    const auth = await authOnFreshDb({ baseURL: 'http://127.0.0.1:3000' });
    const response = await signUp(auth, 'ada@example.com', undefined, { baseURL: 'http://127.0.0.1:3000' });

    expect(sessionCookie(response)?.line).not.toMatch(/;\s*Secure/i);
  });

  it('is Secure, HttpOnly and SameSite=Lax for an https base URL', async () => {
    const auth = await authOnFreshDb({ baseURL: 'https://monitor.example' });
    const response = await signUp(auth, 'ada@example.com', undefined, { baseURL: 'https://monitor.example' });

    expect(response.status).toBe(200);
    const cookie = sessionCookie(response);
    expect(cookie?.line).toMatch(/;\s*Secure/i);
    expect(cookie?.line).toMatch(/;\s*HttpOnly/i);
    expect(cookie?.line).toMatch(/;\s*SameSite=Lax/i);
  });

  it('is Secure for plain http on any host other than the local machine', async () => {
    const auth = await authOnFreshDb({ baseURL: 'http://monitor.internal:3000' });
    const response = await signUp(auth, 'ada@example.com', undefined, {
      baseURL: 'http://monitor.internal:3000',
    });

    expect(sessionCookie(response)?.line).toMatch(/;\s*Secure/i);
  });
});
