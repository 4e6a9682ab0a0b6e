// "Sign in as": the dev identity provider mints a token for any subject and roles. A custom
// subject is allowed too, so testers can act as many different customers.
import { useState } from 'preact/hooks';
import { DEMO_USERS, signIn, type DemoUser } from '../auth';
import { API_ORIGIN } from '../api/client';
import { navigate, useLocation } from '../router';
import { useTitle } from '../hooks';
import { ErrorBox } from '../components/ui';

export function SignInPage() {
  useTitle('Sign in');
  const { query } = useLocation();
  const next = query.get('next');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('');

  const go = async (user: Pick<DemoUser, 'sub' | 'name' | 'roles'>) => {
    setBusy(true);
    setError(undefined);
    try {
      await signIn(user, API_ORIGIN);
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <h1>Sign in</h1>
      <p>
        This is the local development identity provider: choose who you are. You stay signed in across tabs until you
        sign out.
      </p>
      {error && <ErrorBox error={error} />}
      <ul class="users">
        {DEMO_USERS.map((u) => (
          <li key={u.sub}>
            <button type="button" class="user-card" disabled={busy} onClick={() => void go(u)}>
              <span class="avatar" aria-hidden="true">
                {u.name[0]}
              </span>
              <span>
                <strong>Sign in as {u.name}</strong>
                <br />
                <small>{u.blurb}</small>
              </span>
            </button>
          </li>
        ))}
      </ul>
      <form
        class="custom-user"
        onSubmit={(e) => {
          e.preventDefault();
          const n = name.trim();
          if (n) void go({ sub: `user-${n.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, name: n, roles: ['customer'] });
        }}
      >
        <label for="custom-name">Or sign in as a new customer named</label>
        <div class="row">
          <input
            id="custom-name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            autocomplete="name"
            maxLength={60}
            required
          />
          <button class="btn" type="submit" disabled={busy}>
            Sign in
          </button>
        </div>
      </form>
    </section>
  );
}
