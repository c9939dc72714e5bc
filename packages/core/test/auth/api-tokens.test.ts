import { describe, expect, it } from 'vitest';
import { createApiToken, listApiTokens, resolveRequestUser, revokeApiToken } from '../../src/auth';
import { AppError } from '../../src/domain/errors';
import { authOnFreshDb, callAuth, signedUpUser } from './harness';

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

describe('API tokens', () => {
  it('authenticate a non-browser caller with Authorization: Bearer', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');

    const created = await createApiToken(auth, ada.headers, 'cli on laptop');
    expect(created).toMatchObject({ name: 'cli on laptop' });
    expect(created.token).toMatch(/^sora_[A-Za-z]{64}$/);
    expect(created.createdAt).toBeInstanceOf(Date);

    expect(await resolveRequestUser(auth, bearer(created.token))).toMatchObject({
      email: 'ada@example.com',
      via: 'token',
    });
  });

  it("are never made over the plugin's own HTTP endpoints, where a caller could choose the prefix", async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');

    for (const path of ['/api-key/create', '/api-key/update', '/api-key/list', '/api-key/get', '/api-key/delete']) {
      const response = await callAuth(auth, 'POST', path, { name: 'from the web app', prefix: 'evil_' }, { cookie: ada.cookie });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    expect(await listApiTokens(auth, ada.headers)).toEqual([]);
    // Made through tokens.create (createApiToken), a token always carries our prefix.
    expect((await createApiToken(auth, ada.headers, 'cli')).token).toMatch(/^sora_[A-Za-z]{64}$/);
  });

  it('are listed for their owner without the token itself', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const created = await createApiToken(auth, ada.headers, 'ci');

    const listed = await listApiTokens(auth, ada.headers);
    expect(listed).toEqual([
      { id: created.id, name: 'ci', start: created.token.slice(0, 6), createdAt: created.createdAt },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it('are stored only as a hash', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const created = await createApiToken(auth, ada.headers, 'ci');

    const context = await auth.$context;
    const rows = await context.adapter.findMany<Record<string, unknown>>({ model: 'apikey' });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(created.token);
  });

  it('stop working once revoked', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const created = await createApiToken(auth, ada.headers, 'ci');

    await revokeApiToken(auth, ada.headers, created.id);

    expect(await resolveRequestUser(auth, bearer(created.token))).toBeNull();
    expect(await listApiTokens(auth, ada.headers)).toEqual([]);
  });

  it('stop working when disabled or expired', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const disabled = await createApiToken(auth, ada.headers, 'disabled');
    const expired = await createApiToken(auth, ada.headers, 'expired');

    await auth.api.updateApiKey({ headers: ada.headers, body: { keyId: disabled.id, enabled: false } });
    const context = await auth.$context;
    await context.adapter.update({
      model: 'apikey',
      where: [{ field: 'id', value: expired.id }],
      update: { expiresAt: new Date(Date.now() - 1000) },
    });

    expect(await resolveRequestUser(auth, bearer(disabled.token))).toBeNull();
    expect(await resolveRequestUser(auth, bearer(expired.token))).toBeNull();
  });

  it('resolve nobody from a garbage or empty bearer, even alongside a valid cookie', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const created = await createApiToken(auth, ada.headers, 'ci');

    expect(await resolveRequestUser(auth, bearer('garbage'))).toBeNull();
    // One character off (never the same one: a token ending in "x" would otherwise be unchanged).
    const offByOne = `${created.token.slice(0, -1)}${created.token.endsWith('x') ? 'y' : 'x'}`;
    expect(await resolveRequestUser(auth, bearer(offByOne))).toBeNull();
    expect(await resolveRequestUser(auth, bearer(`sora_${'A'.repeat(64)}`))).toBeNull();
    expect(await resolveRequestUser(auth, new Headers({ authorization: 'Bearer' }))).toBeNull();
    const both = new Headers({ authorization: 'Bearer garbage', cookie: ada.cookie });
    expect(await resolveRequestUser(auth, both)).toBeNull();
  });

  it('cannot be revoked by another user, who is told it does not exist', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const eve = await signedUpUser(auth, 'eve@example.com');
    const created = await createApiToken(auth, ada.headers, 'ci');

    const attempt = revokeApiToken(auth, eve.headers, created.id);
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(revokeApiToken(auth, eve.headers, 'no-such-id')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    expect(await resolveRequestUser(auth, bearer(created.token))).toMatchObject({ email: 'ada@example.com' });
    expect(await listApiTokens(auth, eve.headers)).toEqual([]);
  });

  it('can only be created by a signed-in user', async () => {
    const auth = await authOnFreshDb();
    await expect(createApiToken(auth, new Headers(), 'ci')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('are no session for better-auth itself: a token cannot mint another token', async () => {
    const auth = await authOnFreshDb();
    const ada = await signedUpUser(auth, 'ada@example.com');
    const created = await createApiToken(auth, ada.headers, 'ci');

    const response = await callAuth(
      auth,
      'POST',
      '/api-key/create',
      { name: 'escalated' },
      {
        headers: { authorization: `Bearer ${created.token}` },
      },
    );
    expect(response.status).toBe(404);
    expect(await listApiTokens(auth, ada.headers)).toHaveLength(1);
  });
});
