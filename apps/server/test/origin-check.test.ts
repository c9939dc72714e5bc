import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOriginCheck } from '../src/http/origin-check';

const app = Fastify();
beforeAll(async () => {
  registerOriginCheck(app, ['http://localhost:3000']);
  app.post('/trpc/videos.create', async () => ({ changed: true }));
  app.get('/trpc/videos.list', async () => ({ read: true }));
  app.post('/api/auth/sign-in/email', async () => ({ auth: true }));
  await app.ready();
});
afterAll(() => app.close());

describe('cross-origin state-changing requests', () => {
  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a same-site but different origin', { origin: 'http://localhost:4000' }],
    ['Sec-Fetch-Site: cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses a POST with %s, whatever the content type', async (_name, headers) => {
    for (const contentType of ['application/json', 'text/plain', 'multipart/form-data; boundary=x']) {
      const response = await app.inject({
        method: 'POST',
        url: '/trpc/videos.create',
        headers: { ...headers, 'content-type': contentType, cookie: 'session=abc' },
        payload: '{}',
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: 'forbidden_origin' });
    }
  });

  it('lets the app itself and clients without an Origin (CLI, servers) through', async () => {
    for (const headers of [{ origin: 'http://localhost:3000' }, {}, { 'sec-fetch-site': 'same-origin' }]) {
      const response = await app.inject({ method: 'POST', url: '/trpc/videos.create', headers, payload: {} });
      expect(response.statusCode).toBe(200);
    }
  });

  it('never blocks reads, and leaves better-auth to its own origin check', async () => {
    const read = await app.inject({ method: 'GET', url: '/trpc/videos.list', headers: { origin: 'https://evil.example' } });
    expect(read.statusCode).toBe(200);
    const auth = await app.inject({ method: 'POST', url: '/api/auth/sign-in/email', headers: { origin: 'https://evil.example' }, payload: {} });
    expect(auth.statusCode).toBe(200);
  });
});
