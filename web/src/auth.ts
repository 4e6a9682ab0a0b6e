// Sign-in through the dev identity provider (local host: POST /.identity/token) and the session
// kept in localStorage, so every tab of the site shares it: a sign-in or sign-out in one tab reaches
// the others (the `storage` event), and the token is renewed a few minutes before it expires. Browsing
// needs no sign-in; booking, tickets and the operator pages do. In Azure the bearer token comes from
// Entra ID through MSAL instead (docs/authentication.md).
import { createStore } from './store';

export interface Session {
  token: string;
  sub: string;
  name: string;
  roles: string[];
  /** Epoch ms. */
  expiresAt: number;
  /** Where the token came from, to renew it (the API's origin; empty = this one). */
  issuer?: string;
}

/** Renew this long before the token expires (and never keep one that expires sooner). */
const RENEW_BEFORE_MS = 5 * 60_000;

const KEY = 'marquee.session';

export interface DemoUser {
  sub: string;
  name: string;
  roles: string[];
  blurb: string;
}

export const DEMO_USERS: DemoUser[] = [
  { sub: 'user-asha', name: 'Asha Rao', roles: ['customer'], blurb: 'Customer' },
  { sub: 'user-vikram', name: 'Vikram Shah', roles: ['customer'], blurb: 'Customer' },
  { sub: 'user-lena', name: 'Lena Fischer', roles: ['customer'], blurb: 'Customer' },
  {
    sub: 'ops-priya',
    name: 'Priya (operator)',
    roles: ['customer', 'operator'],
    blurb: 'Operator: scanner, saga console, stuck bookings',
  },
];

function parse(raw: string | null): Session | null {
  try {
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return s.expiresAt > Date.now() + 30_000 ? s : null;
  } catch {
    return null;
  }
}

function load(): Session | null {
  try {
    return parse(localStorage.getItem(KEY));
  } catch {
    return null; // storage blocked: signed out, and a sign-in lasts for this page
  }
}

function save(s: Session | null): void {
  try {
    if (s) localStorage.setItem(KEY, JSON.stringify(s));
    else localStorage.removeItem(KEY);
  } catch {
    // storage blocked: the session lives in this page only
  }
}

const store = createStore<Session | null>(load());

/** Set when a request came back 401 while signed in: the token expired or the host restarted. */
export const sessionExpired = createStore(false);

export const session = {
  get: store.get,
  subscribe: store.subscribe,
  set(s: Session | null) {
    save(s);
    sessionExpired.set(false);
    store.set(s);
    scheduleRenewal(s);
  },
  expired() {
    if (!store.get()) return;
    save(null);
    store.set(null);
    scheduleRenewal(null);
    sessionExpired.set(true);
  },
  hasRole: (role: string) => store.get()?.roles.includes(role) ?? false,
};

let renewal: ReturnType<typeof setTimeout> | undefined;

/** Renews the token RENEW_BEFORE_MS before it expires; a failed renewal leaves it to run out (then 401 → sign in). */
function scheduleRenewal(s: Session | null): void {
  if (renewal) clearTimeout(renewal);
  renewal = undefined;
  if (!s || typeof window === 'undefined') return;
  const wait = Math.max(0, s.expiresAt - RENEW_BEFORE_MS - Date.now());
  renewal = setTimeout(
    () => {
      // Another tab may have renewed it already: take the newest stored one first.
      const stored = load();
      if (stored && stored.sub === s.sub && stored.expiresAt > s.expiresAt) {
        store.set(stored);
        return scheduleRenewal(stored);
      }
      signIn(s, s.issuer ?? '').catch(() => undefined);
    },
    Math.min(wait, 2_147_000_000),
  );
}

/** Keeps tabs in step: a sign-in, renewal or sign-out in another tab arrives as a `storage` event. */
export function followOtherTabs(): void {
  window.addEventListener('storage', (e) => {
    if (e.key !== KEY && e.key !== null) return;
    const next = load();
    const now = store.get();
    if (next?.token === now?.token) return;
    sessionExpired.set(false);
    store.set(next);
    scheduleRenewal(next);
  });
  scheduleRenewal(store.get());
}

export async function signIn(user: Pick<DemoUser, 'sub' | 'name' | 'roles'>, identityOrigin: string): Promise<Session> {
  const res = await fetch(`${identityOrigin}/.identity/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: user.sub, name: user.name, roles: user.roles }),
  });
  if (!res.ok) throw new Error(`The identity provider answered ${res.status}.`);
  const body = (await res.json()) as { access_token: string; expires_in?: number };
  const s: Session = {
    token: body.access_token,
    sub: user.sub,
    name: user.name,
    roles: user.roles,
    expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000,
    issuer: identityOrigin,
  };
  session.set(s);
  return s;
}

export const signOut = () => session.set(null);
