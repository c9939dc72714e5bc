import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useSignOut, type SessionUser } from '../lib/auth';

export function UserMenu({ user }: { user: SessionUser }) {
  const signOut = useSignOut();
  const [, navigate] = useLocation();
  const [busy, setBusy] = useState(false);
  return (
    <div className="user-menu">
      <span className="user-name" title={user.email}>
        {user.name || user.email}
      </span>
      <Link href="/settings/webhooks" className="button button-small">
        Webhooks
      </Link>
      <button
        type="button"
        className="button button-small"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void signOut().finally(() => {
            setBusy(false);
            navigate('/sign-in', { replace: true });
          });
        }}
      >
        Sign out
      </button>
    </div>
  );
}
