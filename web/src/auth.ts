// Sign-in through the dev identity provider (local host: POST /.identity/token) and the session
// kept in sessionStorage, so a tab forgets it when closed. Browsing needs no sign-in; booking,
// tickets and the operator pages do. In Azure the same bearer token would come from Entra ID.
import { createStore } from './store';

export interface Session {
  token: string;
  sub: string;
  name: string;
  roles: string[];
  /** Epoch ms. */
  expiresAt: number;
}

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

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return s.expiresAt > Date.now() + 30_000 ? s : null;
  } catch {
    return null;
  }
}

const store = createStore<Session | null>(load());

/** Set when a request came back 401 while signed in: the token expired or the host restarted. */
export const sessionExpired = createStore(false);

export const session = {
  get: store.get,
  subscribe: store.subscribe,
  set(s: Session | null) {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
    sessionExpired.set(false);
    store.set(s);
  },
  expired() {
    if (!store.get()) return;
    sessionStorage.removeItem(KEY);
    store.set(null);
    sessionExpired.set(true);
  },
  hasRole: (role: string) => store.get()?.roles.includes(role) ?? false,
};

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
  };
  session.set(s);
  return s;
}

export const signOut = () => session.set(null);
