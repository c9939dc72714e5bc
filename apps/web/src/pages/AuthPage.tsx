import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'wouter';
import { FieldError } from '../components/FieldError';
import { AuthError, signIn, signUp, startSession } from '../lib/auth';
import { useDocumentTitle } from '../lib/use-document-title';

type Mode = 'sign-in' | 'sign-up';

/** better-auth's error codes, placed next to the field they are about. */
const FIELD_BY_CODE: Readonly<Record<string, 'name' | 'email' | 'password'>> = {
  PASSWORD_TOO_SHORT: 'password',
  PASSWORD_TOO_LONG: 'password',
  INVALID_EMAIL: 'email',
  USER_ALREADY_EXISTS: 'email',
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 'email',
};

export const MIN_PASSWORD_LENGTH = 8;

/** Only paths inside this app are followed after signing in (never another origin). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-') ? next : '/';
}

export function AuthPage({ mode }: { mode: Mode }) {
  const signingUp = mode === 'sign-up';
  useDocumentTitle(signingUp ? 'Create an account' : 'Sign in');
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: 'name' | 'email' | 'password' | null; message: string } | null>(null);
  const ids = { name: useId(), email: useId(), password: useId(), error: useId() };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const missing = !email.trim() ? 'email' : !password ? 'password' : signingUp && !name.trim() ? 'name' : null;
    if (missing) {
      setError({ field: missing, message: `Enter your ${missing}.` });
      document.getElementById(ids[missing])?.focus();
      return;
    }
    setBusy(true);
    try {
      const user = signingUp
        ? await signUp({ name: name.trim(), email: email.trim(), password })
        : await signIn({ email: email.trim(), password });
      startSession(queryClient, user);
      navigate(next, { replace: true });
    } catch (caught) {
      const authError = caught instanceof AuthError ? caught : new AuthError('Something went wrong. Please try again.', null, 0);
      const field = authError.code ? (FIELD_BY_CODE[authError.code] ?? null) : null;
      setError({ field, message: authError.message });
      setBusy(false);
      if (field) document.getElementById(ids[field])?.focus();
    }
  };

  const fieldMessage = (field: 'name' | 'email' | 'password') => (error?.field === field ? [error.message] : undefined);
  const otherHref = `${signingUp ? '/sign-in' : '/sign-up'}${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`;

  return (
    <div className="page auth-page">
      <div className="panel auth-panel">
        <h1>{signingUp ? 'Create your account' : 'Sign in'}</h1>
        <p className="muted">
          {signingUp ? 'Start generating videos and follow each one to the end.' : 'Welcome back. Your videos are waiting.'}
        </p>
        <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
          {signingUp ? (
            <div className="field">
              <label htmlFor={ids.name}>Name</label>
              <input
                id={ids.name}
                name="name"
                autoComplete="name"
                value={name}
                onChange={(event) => setName(event.target.value)}
                aria-invalid={error?.field === 'name' ? true : undefined}
                aria-describedby={`${ids.name}-error`}
              />
              <FieldError id={`${ids.name}-error`} messages={fieldMessage('name')} />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={ids.email}>Email</label>
            <input
              id={ids.email}
              name="email"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              aria-invalid={error?.field === 'email' ? true : undefined}
              aria-describedby={`${ids.email}-error`}
            />
            <FieldError id={`${ids.email}-error`} messages={fieldMessage('email')} />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>Password</label>
            <input
              id={ids.password}
              name="password"
              type="password"
              autoComplete={signingUp ? 'new-password' : 'current-password'}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={error?.field === 'password' ? true : undefined}
              aria-describedby={`${ids.password}-hint ${ids.password}-error`}
            />
            {signingUp ? (
              <p id={`${ids.password}-hint`} className="hint">
                At least {MIN_PASSWORD_LENGTH} characters.
              </p>
            ) : (
              <span id={`${ids.password}-hint`} hidden />
            )}
            <FieldError id={`${ids.password}-error`} messages={fieldMessage('password')} />
          </div>
          {error && error.field === null ? (
            <p className="callout callout-error" role="alert" id={ids.error}>
              {error.message}
            </p>
          ) : null}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? (signingUp ? 'Creating account…' : 'Signing in…') : signingUp ? 'Create account' : 'Sign in'}
          </button>
        </form>
        <p className="auth-switch">
          {signingUp ? 'Already have an account?' : 'New here?'} <Link href={otherHref}>{signingUp ? 'Sign in' : 'Create an account'}</Link>
        </p>
      </div>
    </div>
  );
}
