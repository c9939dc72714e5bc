import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { SimulatedNotice } from './components/SimulatedNotice';
import { UserMenu } from './components/UserMenu';
import { useSession } from './lib/auth';
import { AuthPage } from './pages/AuthPage';
import { NewVideoPage } from './pages/NewVideoPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { StatusPage } from './pages/StatusPage';
import { TokensPage } from './pages/TokensPage';
import { VideoPage } from './pages/VideoPage';
import { VideosPage } from './pages/VideosPage';
import { WebhooksPage } from './pages/WebhooksPage';

// The usage page brings the chart library: loaded when it is first opened, not with every page.
const UsagePage = lazy(() => import('./pages/UsagePage').then((module) => ({ default: module.UsagePage })));

const PUBLIC_PATHS = new Set(['/sign-in', '/sign-up', '/status']);
const AUTH_PATHS = new Set(['/sign-in', '/sign-up']);

export function App() {
  const session = useSession();
  const [location] = useLocation();
  const search = useSearch();
  const user = session.data ?? null;
  const mainRef = useFocusOnNavigation(location);

  let content;
  if (session.isPending) {
    content = (
      <p className="muted page" aria-busy="true">
        Loading…
      </p>
    );
  } else if (!user && !PUBLIC_PATHS.has(location)) {
    // Signed-out visitors go to sign in, and come back here afterwards.
    const next = `${location}${search ? `?${search}` : ''}`;
    content = <Redirect to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  } else if (user && AUTH_PATHS.has(location)) {
    content = <Redirect to="/" replace />;
  } else {
    content = (
      <Switch>
        <Route path="/sign-in">
          <AuthPage mode="sign-in" />
        </Route>
        <Route path="/sign-up">
          <AuthPage mode="sign-up" />
        </Route>
        <Route path="/status" component={StatusPage} />
        <Route path="/" component={VideosPage} />
        <Route path="/new" component={NewVideoPage} />
        <Route path="/tokens" component={TokensPage} />
        <Route path="/settings/webhooks" component={WebhooksPage} />
        <Route path="/usage">
          <Suspense fallback={<p className="muted page" aria-busy="true">Loading…</p>}>
            <UsagePage />
          </Suspense>
        </Route>
        <Route path="/videos/:videoId">{(params) => <VideoPage key={params.videoId} videoId={params.videoId} />}</Route>
        <Route>
          <NotFoundPage />
        </Route>
      </Switch>
    );
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>{' '}
          Sora Monitor
        </Link>
        {user ? (
          <nav className="mainnav" aria-label="Main">
            <Link href="/" aria-current={location === '/' ? 'page' : undefined}>
              My videos
            </Link>
            <Link href="/new" aria-current={location === '/new' ? 'page' : undefined}>
              New video
            </Link>
            <Link href="/usage" aria-current={location === '/usage' ? 'page' : undefined}>
              Usage
            </Link>
            <Link href="/tokens" aria-current={location === '/tokens' ? 'page' : undefined}>
              API tokens
            </Link>
          </nav>
        ) : null}
        <div className="topbar-end">{user ? <UserMenu user={user} /> : null}</div>
      </header>
      <SimulatedNotice />
      <main id="main" className="content" ref={mainRef} tabIndex={-1}>
        {content}
      </main>
      <footer className="footer">
        <Link href="/status">Server status</Link>
      </footer>
    </>
  );
}

/**
 * After a client-side navigation, focus moves to the new page's heading, as a page load would reset it. A page that
 * is still loading gets its heading focused when it appears, unless the user has moved focus meanwhile.
 */
function useFocusOnNavigation(location: string) {
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = mainRef.current;
    if (!main) return;
    const focusHeading = () => {
      const heading = main.querySelector<HTMLElement>('h1');
      if (!heading) return false;
      heading.tabIndex = -1;
      heading.focus();
      return true;
    };
    if (focusHeading()) return;
    main.focus();
    const observer = new MutationObserver(() => {
      if (document.activeElement !== main && document.activeElement !== document.body) observer.disconnect();
      else if (focusHeading()) observer.disconnect();
    });
    observer.observe(main, { childList: true, subtree: true });
    const timer = setTimeout(() => observer.disconnect(), 10_000);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [location]);
  return mainRef;
}
