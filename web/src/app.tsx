// The shell: header (brand, city, account), the routed page, and a skip link. Pages are plain
// components chosen by path; each sets its own title and heading.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import { session, sessionExpired, signOut } from './auth';
import { useStore } from './store';
import { match, navigate, useLocation } from './router';
import { Home } from './pages/home';
import { MoviePage } from './pages/movie';
import { prefetchSeats, SeatsPage } from './pages/seats';
import { BookingPage } from './pages/booking';
import { HistoryPage } from './pages/history';
import { OpsPage } from './pages/ops';
import { SignInPage } from './pages/signin';
import { Loading, Notice } from './components/ui';
import { Bell } from './components/bell';
import { ProfilePage } from './pages/profile';
import { WaitingRoomPage } from './waiting-room/page';
import { WaitingRoomGate } from './waiting-room/gate';

function Page() {
  const { path } = useLocation();
  let p: Record<string, string> | null;
  if (path === '/' || path === '') return <Home />;
  if (path === '/signin') return <SignInPage />;
  if ((p = match('/movies/:id', path))) return <MoviePage id={p.id!} />;
  if ((p = match('/shows/:id/queue', path))) return <WaitingRoomPage id={p.id!} />;
  if ((p = match('/shows/:id', path)))
    return (
      <WaitingRoomGate showId={p.id!} prefetch={prefetchSeats}>
        <SeatsPage id={p.id!} />
      </WaitingRoomGate>
    );
  if ((p = match('/bookings/:id', path))) return <BookingPage id={p.id!} />;
  if (path === '/me/bookings') return <HistoryPage />;
  if (path === '/me') return <ProfilePage />;
  if (path === '/ops') return <OpsPage />;
  if (path === '/ops/partners') return <PartnersPage />;
  if (path === '/ops/catalog') return <OpsCatalogPage />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{path}</code>. <a href="/">Browse what's on</a>.
      </p>
    </section>
  );
}

/** The partner webhooks screen, fetched the first time an operator opens it. */
function PartnersPage() {
  const [Page, setPage] = useState<FunctionComponent>();
  useEffect(() => {
    void import('./pages/partners').then((m) => setPage(() => m.PartnersPage));
  }, []);
  return Page ? <Page /> : <Loading />;
}

/** The operator's catalog screen, fetched the first time an operator opens it. */
function OpsCatalogPage() {
  const [Page, setPage] = useState<FunctionComponent>();
  useEffect(() => {
    void import('./pages/ops-catalog').then((m) => setPage(() => m.OpsCatalogPage));
  }, []);
  return Page ? <Page /> : <Loading />;
}

function Header() {
  const s = useStore(session);
  const { path } = useLocation();
  const here = (p: string) => (path === p ? 'page' : undefined);
  return (
    <header class="top">
      <div class="top-inner">
        <a class="brand" href="/" aria-label="Marquee home">
          <span aria-hidden="true">▚</span> Marquee
        </a>
        <nav aria-label="Main">
          <ul>
            <li>
              <a href="/" aria-current={here('/')}>
                Movies &amp; events
              </a>
            </li>
            {s && (
              <li>
                <a href="/me/bookings" aria-current={here('/me/bookings')}>
                  My bookings
                </a>
              </li>
            )}
            {s?.roles.includes('operator') && (
              <li>
                <a href="/ops" aria-current={here('/ops')}>
                  Operator
                </a>
              </li>
            )}
          </ul>
        </nav>
        <div class="account">
          {s ? (
            <>
              <Bell />
              <a class="who" href="/me" title={s.sub}>
                {s.name}
              </a>
              <button
                type="button"
                class="btn btn-ghost btn-small"
                onClick={() => {
                  signOut();
                  navigate('/');
                }}
              >
                Sign out
              </button>
            </>
          ) : (
            <a class="btn btn-small" href={`/signin?next=${encodeURIComponent(path + location.search)}`}>
              Sign in
            </a>
          )}
        </div>
      </div>
    </header>
  );
}

export function App() {
  const { path } = useLocation();
  const expired = useStore(sessionExpired);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // Move focus to the new page so keyboard and screen-reader users start at its top.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [path]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" ref={main} tabIndex={-1}>
        {expired && (
          <Notice kind="warn">
            Your session ended (the sign-in expired or the server restarted).{' '}
            <a href={`/signin?next=${encodeURIComponent(path)}`}>Sign in again</a>.
          </Notice>
        )}
        <Page />
      </main>
      <footer class="foot">
        <p>Marquee · a demo ticketing platform · payments are simulated</p>
      </footer>
    </>
  );
}
