import { Link } from 'wouter';
import { useDocumentTitle } from '../lib/use-document-title';

/** Also what another user's video looks like: exactly like one that does not exist. */
export function NotFoundPage({ what = 'page' }: { what?: 'page' | 'video' }) {
  const title = what === 'video' ? 'Video not found' : 'Page not found';
  useDocumentTitle(title);
  return (
    <div className="page not-found" data-testid="not-found">
      <h1>{title}</h1>
      <p>
        {what === 'video'
          ? 'There is no video at this address in your account. It may have been deleted, or the link may be wrong.'
          : 'There is nothing at this address.'}
      </p>
      <p>
        <Link href="/" className="button button-primary">
          Go to my videos
        </Link>
      </p>
    </div>
  );
}
