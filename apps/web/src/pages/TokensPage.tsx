import { useId, useState, type FormEvent } from 'react';
import { errorMessage, fieldErrors } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { trpc } from '../trpc';

/** API tokens for the CLI and other apps: created here, shown once, revocable. */
export function TokensPage() {
  useDocumentTitle('API tokens');
  const utils = trpc.useUtils();
  const tokens = trpc.tokens.list.useQuery();
  const create = trpc.tokens.create.useMutation({ onSuccess: () => utils.tokens.list.invalidate() });
  const revoke = trpc.tokens.revoke.useMutation({ onSuccess: () => utils.tokens.list.invalidate() });
  const [name, setName] = useState('');
  const ids = { name: useId(), nameError: useId() };
  const nameError = create.error ? fieldErrors(create.error).name?.[0] : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name }, { onSuccess: () => setName('') });
  };

  return (
    <div className="page narrow">
      <h1>API tokens</h1>
      <p className="muted">
        Tokens let the <code>sora-monitor</code> CLI and other apps act as you, sent as <code>Authorization: Bearer …</code>.
      </p>

      <section className="panel" aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={ids.name}>Name</label>
            <input
              id={ids.name}
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="e.g. laptop CLI"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? ids.nameError : undefined}
            />
            {nameError ? (
              <p className="field-error" id={ids.nameError}>
                {nameError}
              </p>
            ) : null}
          </div>
          <p>
            <button type="submit" className="button button-primary" disabled={create.isPending}>
              Create token
            </button>
          </p>
        </form>
        {create.error && !nameError ? <p role="alert">{errorMessage(create.error)}</p> : null}
        {create.data ? (
          <div role="status" data-testid="new-token">
            <p>
              <strong>Copy this token now; it is not shown again.</strong>
            </p>
            <p>
              <code data-testid="token-value">{create.data.token}</code>{' '}
              <button type="button" className="button button-small" onClick={() => void navigator.clipboard?.writeText(create.data.token)}>
                Copy
              </button>
            </p>
            <p className="muted">
              Then run <code>sora-monitor login --url {window.location.origin}</code> and paste it.
            </p>
          </div>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Your tokens</h2>
        {tokens.isPending ? <p aria-busy="true">Loading…</p> : null}
        {tokens.error ? <p role="alert">{errorMessage(tokens.error)}</p> : null}
        {tokens.data && tokens.data.length === 0 ? <p className="muted">No tokens yet.</p> : null}
        {tokens.data && tokens.data.length > 0 ? (
          <ul className="token-list" data-testid="tokens">
            {tokens.data.map((token) => (
              <li key={token.id}>
                <span>
                  <strong>{token.name ?? 'Unnamed'}</strong>{' '}
                  <span className="muted">
                    {token.start ? `${token.start}… · ` : ''}created {formatDateTime(token.createdAt)}
                  </span>
                </span>
                <button
                  type="button"
                  className="button button-small button-quiet-danger"
                  disabled={revoke.isPending}
                  onClick={() => revoke.mutate({ id: token.id })}
                  aria-label={`Revoke ${token.name ?? 'token'}`}
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
